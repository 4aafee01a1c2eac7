import CFFmpeg
import Foundation
import SiaranCore

/// What a clip holds.
public struct ClipResult: Sendable {
    /// Session-clock start of the clip: the keyframe at or before the asked start.
    public var start: Double
    public var end: Double
    public var bytes: Int64
    public var packets: Int
    /// Segment files that stopped reading with an error before their end (the clip goes on with the next).
    public var unreadableSegments: [String]
}

/// Where a clip goes.
public enum ClipDestination: Sendable, Equatable {
    /// A file, written as `NAME.part` and renamed into place when complete.
    case file(String)
    /// Standard output (a pipe to a web server, say): written as it is made; fMP4 is sent fragment
    /// by fragment, so a player can start while the clip is still being cut.
    case standardOutput

    var name: String {
        if case let .file(path) = self { return path }
        return "standard output"
    }
}

/// Cuts a range of a session out of its segments into one file, without re-encoding: the clip
/// starts at the video keyframe at or before `from` (so it decodes from its first frame), whose
/// timestamps become zero.
public enum Clipper {
    /// `format`: `.fmp4` writes fragmented MP4 (`frag_keyframe+empty_moov+default_base_moof`), `.ts` MPEG-TS.
    /// `sessionClock`: the segment files carry session-clock timestamps (TS segments do; fMP4 segments
    /// restart at zero and are placed by their `mediaStart`).
    public static func clip(_ segments: [SegmentRecord], in directory: String, from: Double, to: Double,
                            destination: ClipDestination, format: SegmentFormat,
                            sessionClock: Bool = true) throws(MediaError) -> ClipResult {
        let relevant = segments.filter { $0.mediaStart + $0.duration > from && $0.mediaStart < to }
        guard !relevant.isEmpty else { throw .cannotOpen(source: destination.name, reason: "no recorded media between the asked times") }
        let clip = ClipAssembly(destination: destination, format: format, from: from, to: to)
        var streamKinds: [StreamKind] = []
        var unreadable: [String] = []
        segmentLoop: for segment in relevant {
            var options = InputOptions()
            options.openTimeout = 30
            options.readTimeout = 30
            // A CMAF media segment is read with its init segment in front of it; its times are the session clock.
            let url = segment.url(in: directory)
            let input = try InputSource(url: url, options: options, interrupt: InterruptControl())
            let kinds = input.selected.map(\.kind)
            if streamKinds.isEmpty { streamKinds = kinds } else if kinds != streamKinds { break segmentLoop }
            var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
            defer { av_packet_free(&packet) }
            var fileOrigin: Int64?
            while true {
                let index: Int?
                do { index = try input.read(into: packet!) } catch {
                    unreadable.append(segment.file)
                    break
                }
                guard let index else { break }
                guard let timing = PacketTiming(packet!, stream: input.selected[index]) else { av_packet_unref(packet); continue }
                // Place the file on the session clock: it starts (at its first keyframe) at mediaStart.
                if fileOrigin == nil { fileOrigin = segment.fileOrigin(firstPts: timing.pts, sessionClock: sessionClock) }
                let more = try clip.take(packet!, index: index, input: input,
                                         pts: timing.pts - fileOrigin!, dts: timing.dts - fileOrigin!, duration: timing.duration)
                av_packet_unref(packet)
                if !more { break segmentLoop }
            }
            if clip.reachedEnd { break segmentLoop }
        }
        return try clip.finish(unreadable: unreadable)
    }
}

/// The clip being written: packets before the start wait (from the last keyframe at or before it)
/// until the start is reached, then everything goes to the muxer, shifted to start at zero.
private final class ClipAssembly {
    let destination: ClipDestination
    let format: SegmentFormat
    let fromMicros: Int64
    let toMicros: Int64
    private var muxer: SegmentMuxer?
    private var pending: [(packet: UnsafeMutablePointer<AVPacket>?, stream: Int, dts: Int64, pts: Int64, duration: Int64)] = []
    private var keyframe: Int64?
    /// The streams of the file whose packets are held (for a clip that starts at its end).
    private var waitingStreams: [SelectedStream]?
    private var clipStart: Int64 = 0
    private var last: Int64 = 0
    private var count = 0
    private var finished = false
    /// The clip's end was reached in the file being read: no further file is needed.
    private(set) var reachedEnd = false

    init(destination: ClipDestination, format: SegmentFormat, from: Double, to: Double) {
        self.destination = destination
        self.format = format
        fromMicros = Int64(from * 1e6)
        toMicros = Int64(to * 1e6)
    }

    /// A clip that stopped with an error leaves no `.part` file behind.
    deinit {
        if !finished { muxer?.abandon() }
        dropPending()
    }

    private func dropPending(before time: Int64 = .max) {
        for var held in pending.filter({ $0.pts < time }).map(\.packet) { av_packet_free(&held) }
        pending.removeAll { $0.pts < time }
    }

    /// Takes one packet (session-clock times); false when the clip cannot go on.
    func take(_ packet: UnsafeMutablePointer<AVPacket>, index: Int, input: InputSource,
              pts: Int64, dts: Int64, duration: Int64) throws(MediaError) -> Bool {
        let stream = input.selected[index]
        let hasVideo = input.selected.contains { $0.kind == .video }
        let isKey = packet.pointee.flags & SIARAN_PKT_FLAG_KEY != 0
        let anchor = hasVideo ? (stream.kind == .video && isKey) : true
        if muxer == nil {
            if anchor && pts <= fromMicros {
                // A later keyframe at or before the start: begin again from it (keeping the other
                // streams' packets already at or after it).
                dropPending(before: pts)
                keyframe = pts
            } else if keyframe == nil && !anchor {
                return true
            } else if keyframe == nil {
                keyframe = pts
            }
            // The clip starts when the stream that anchors it (the video, if any) reaches the start:
            // a keyframe exactly at the start may still come, so other streams' packets wait for it.
            if pts < fromMicros || (hasVideo && stream.kind != .video) {
                if pts < toMicros { pending.append((av_packet_clone(packet), index, dts, pts, duration)) }
                waitingStreams = input.selected
                return true
            }
            try start(input.selected)
        }
        // A file need not hold its streams interleaved (a CMAF fragment holds all its video, then all
        // its audio): packets outside the clip are skipped, not taken as the end, and the file in
        // which the end is reached is read to its end.
        if pts >= toMicros {
            if !hasVideo || stream.kind == .video { reachedEnd = true }
            return true
        }
        if pts < clipStart { return true }
        try muxer!.write(packet, stream: index, dts: max(0, dts - clipStart), pts: max(0, pts - clipStart), duration: duration)
        last = max(last, pts + duration)
        count += 1
        return true
    }

    /// Opens the muxer for `streams` and writes the packets held since the keyframe.
    private func start(_ streams: [SelectedStream]) throws(MediaError) {
        clipStart = keyframe!
        let parameters = streams.map(\.parameters), timeBases = streams.map(\.timeBase)
        let muxer: SegmentMuxer
        switch destination {
        case let .file(path): muxer = try SegmentMuxer(path: path, format: format, streams: parameters, inputTimeBases: timeBases)
        case .standardOutput: muxer = try SegmentMuxer(standardOutputFormat: format, streams: parameters, inputTimeBases: timeBases)
        }
        self.muxer = muxer
        for held in pending where held.pts >= clipStart {
            try muxer.write(held.packet!, stream: held.stream, dts: max(0, held.dts - clipStart),
                            pts: max(0, held.pts - clipStart), duration: held.duration)
            last = max(last, held.pts + held.duration)
            count += 1
        }
        dropPending()
    }

    func finish(unreadable: [String]) throws(MediaError) -> ClipResult {
        // The video ended before the start while other streams went on: the clip is what was held.
        if muxer == nil, keyframe != nil, !pending.isEmpty, let waitingStreams { try start(waitingStreams) }
        guard let muxer else { throw .cannotOpen(source: destination.name, reason: "no keyframe found in the asked range") }
        finished = true
        let bytes = try muxer.finish()
        return ClipResult(start: Double(clipStart) / 1e6, end: Double(last) / 1e6, bytes: bytes, packets: count,
                          unreadableSegments: unreadable)
    }
}
