import CFFmpeg
import Foundation
import SiaranCore

/// A session's audio as speech recognisers take it: 16 kHz, mono, 16-bit samples, decoded with
/// libavcodec and resampled with libswresample from the session's segment files, in order.
///
/// The samples are one continuous stream; `anchors` place it on the session clock (each segment,
/// and any jump in the source's timestamps, starts a new anchor), so a recogniser's times map back
/// to the moment they were said even across gaps.
public enum SpeechAudio {
    public static let sampleRate = 16_000

    /// Where stretches of the sample stream sit on the session clock.
    public struct Anchor: Sendable, Equatable {
        /// Index of the first sample of the stretch.
        public var sample: Int
        /// Its session-clock time, in seconds.
        public var seconds: Double
    }

    /// What decoding found.
    public struct Report: Sendable {
        public var samples: Int
        public var anchors: [Anchor]
        /// Segment files that could not be read to their end (the audio goes on with the next).
        public var unreadableSegments: [String]
    }

    /// The session-clock time of sample `index`, by the anchors.
    public static func seconds(ofSample index: Int, anchors: [Anchor]) -> Double {
        guard let anchor = anchors.last(where: { $0.sample <= index }) ?? anchors.first else { return Double(index) / Double(sampleRate) }
        return anchor.seconds + Double(index - anchor.sample) / Double(sampleRate)
    }

    /// Decodes the audio of `segments` (files in `directory`) from session time `from` on, handing
    /// each decoded run of samples to `consume` as it comes. Throws when no segment has audio.
    public static func decode(_ segments: [SegmentRecord], in directory: String, from: Double = 0,
                              consume: ([Int16]) throws -> Void) throws -> Report {
        var report = Report(samples: 0, anchors: [], unreadableSegments: [])
        var foundAudio = false
        for segment in segments where segment.mediaStart + segment.duration > from {
            guard let input = open(segment, in: directory) else {
                report.unreadableSegments.append(segment.file)
                continue
            }
            defer { input.close() }
            guard let audioIndex = input.selected.firstIndex(where: { $0.kind == .audio }) else { continue }
            foundAudio = true
            let decoder = try SpeechDecoder(input.selected[audioIndex])
            var expected: Double?
            var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
            defer { av_packet_free(&packet) }
            var readable = true
            while true {
                let index: Int?
                do { index = try input.read(into: packet!) } catch { readable = false; break }
                guard let index else { break }
                defer { av_packet_unref(packet) }
                guard index == audioIndex, let timing = PacketTiming(packet!, stream: input.selected[index]) else { continue }
                let start = Double(timing.pts) / 1e6
                let samples = try decoder.decode(packet!)
                guard !samples.isEmpty, start + Double(samples.count) / Double(sampleRate) > from else { continue }
                // A new anchor at each file and wherever the source's clock jumps (an outage).
                if expected == nil || abs(start - expected!) > 0.25 {
                    report.anchors.append(Anchor(sample: report.samples, seconds: start))
                }
                expected = start + Double(samples.count) / Double(sampleRate)
                report.samples += samples.count
                try consume(samples)
            }
            if !readable { report.unreadableSegments.append(segment.file) }
        }
        guard foundAudio else { throw MediaError.cannotOpen(source: directory, reason: "the session's media has no audio to transcribe") }
        return report
    }

    /// Opens a segment's file. A segment being written (`NAME.part`, live captions) may have been
    /// finished and renamed to `NAME` since it was listed (the recorder fsyncs and renames it at each
    /// cut): then it is opened under that name, rather than a pass hearing nothing of the newest
    /// segment (2 of 49 passes in three of session 14's bench-live runs, 0.2 s after a cut).
    private static func open(_ segment: SegmentRecord, in directory: String) -> InputSource? {
        var names = [segment]
        if segment.file.hasSuffix(OpenSegmentRecord.partSuffix) {
            var renamed = segment
            renamed.file = String(segment.file.dropLast(OpenSegmentRecord.partSuffix.count))
            names.append(renamed)
        }
        for candidate in names {
            if let input = try? InputSource(url: candidate.url(in: directory), options: InputOptions(), interrupt: InterruptControl()) { return input }
        }
        return nil
    }
}

/// One audio stream's decoder and resampler to 16 kHz mono s16.
private final class SpeechDecoder {
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private var frame: UnsafeMutablePointer<AVFrame>? = av_frame_alloc()

    init(_ stream: SelectedStream) throws(MediaError) {
        guard let decoder = avcodec_find_decoder(stream.parameters.pointer.pointee.codec_id) else {
            throw .cannotOpen(source: "audio", reason: "no decoder for \(stream.parameters.description.codec)")
        }
        codec = avcodec_alloc_context3(decoder)
        avcodec_parameters_to_context(codec, stream.parameters.pointer)
        codec!.pointee.pkt_timebase = stream.timeBase
        let status = avcodec_open2(codec, decoder, nil)
        guard status >= 0 else { throw .cannotOpen(source: "audio", reason: LibavError.describe(status)) }
    }

    deinit {
        avcodec_free_context(&codec)
        swr_free(&resampler)
        av_frame_free(&frame)
    }

    /// The samples of one packet, resampled (a damaged packet gives none).
    func decode(_ packet: UnsafeMutablePointer<AVPacket>) throws(MediaError) -> [Int16] {
        guard avcodec_send_packet(codec, packet) >= 0 else { return [] }
        var out: [Int16] = []
        while avcodec_receive_frame(codec, frame) >= 0 {
            defer { av_frame_unref(frame) }
            out += try resample(frame!)
        }
        return out
    }

    private func resample(_ frame: UnsafeMutablePointer<AVFrame>) throws(MediaError) -> [Int16] {
        if resampler == nil {
            var mono = AVChannelLayout()
            av_channel_layout_default(&mono, 1)
            let status = swr_alloc_set_opts2(&resampler, &mono, AV_SAMPLE_FMT_S16, Int32(SpeechAudio.sampleRate),
                                             &frame.pointee.ch_layout, AVSampleFormat(frame.pointee.format), frame.pointee.sample_rate, 0, nil)
            guard status >= 0, swr_init(resampler) >= 0 else {
                throw .cannotOpen(source: "audio", reason: "cannot resample it to 16 kHz mono")
            }
        }
        let capacity = Int(swr_get_out_samples(resampler, frame.pointee.nb_samples)) + 32
        var samples = [Int16](repeating: 0, count: capacity)
        let channels = Int(max(1, frame.pointee.ch_layout.nb_channels))
        let written = samples.withUnsafeMutableBufferPointer { buffer -> Int32 in
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: capacity * 2) { bytes in
                var output: UnsafeMutablePointer<UInt8>? = bytes
                return frame.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: channels) { input in
                    swr_convert(resampler, &output, Int32(capacity), input, frame.pointee.nb_samples)
                }
            }
        }
        guard written > 0 else { return [] }
        return Array(samples.prefix(Int(written)))
    }
}
