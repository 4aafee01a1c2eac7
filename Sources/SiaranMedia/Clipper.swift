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

/// Cuts a range of a session out of its segments into one file, without re-encoding: the clip
/// starts at the video keyframe at or before `from` (so it decodes from its first frame).
public enum Clipper {
    /// `sessionClock`: the segment files carry session-clock timestamps (TS segments do; fMP4 segments
    /// restart at zero and are placed by their `mediaStart`).
    public static func clip(_ segments: [SegmentRecord], in directory: String, from: Double, to: Double, output: String,
                            sessionClock: Bool = true) throws(MediaError) -> ClipResult {
        let format: SegmentFormat = output.lowercased().hasSuffix(".ts") ? .ts : .fmp4
        let relevant = segments.filter { $0.mediaStart + $0.duration > from && $0.mediaStart < to }
        guard !relevant.isEmpty else { throw .cannotOpen(source: output, reason: "no recorded media between the asked times") }
        var muxer: SegmentMuxer?
        var pending: [UnsafeMutablePointer<AVPacket>?] = []
        var pendingMeta: [(stream: Int, dts: Int64, pts: Int64, duration: Int64)] = []
        var keyframe: Int64?
        var clipStart: Int64 = 0
        var last: Int64 = 0
        var count = 0
        var streamKinds: [StreamKind] = []
        var unreadable: [String] = []
        let fromMicros = Int64(from * 1e6)
        let toMicros = Int64(to * 1e6)
        defer { for var p in pending { av_packet_free(&p) } }

        segmentLoop: for segment in relevant {
            var options = InputOptions()
            options.openTimeout = 30
            options.readTimeout = 30
            let input = try InputSource(url: directory + "/" + segment.file, options: options, interrupt: InterruptControl())
            let kinds = input.selected.map(\.kind)
            if streamKinds.isEmpty { streamKinds = kinds } else if kinds != streamKinds { break segmentLoop }
            var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
            defer { av_packet_free(&packet) }
            var fileOrigin: Int64?
            let hasVideo = kinds.contains(.video)
            while true {
                let index: Int?
                do { index = try input.read(into: packet!) } catch {
                    unreadable.append(segment.file)
                    break
                }
                guard let index else { break }
                let stream = input.selected[index]
                guard let timing = PacketTiming(packet!, stream: stream) else { av_packet_unref(packet); continue }
                let (rawPts, rawDts, duration) = (timing.pts, timing.dts, timing.duration)
                // Place the file on the session clock: it starts (at its first keyframe) at mediaStart.
                if fileOrigin == nil { fileOrigin = sessionClock ? 0 : rawPts - Int64(segment.mediaStart * 1e6) }
                let pts = rawPts - fileOrigin!
                let dts = rawDts - fileOrigin!
                let isKey = packet!.pointee.flags & SIARAN_PKT_FLAG_KEY != 0
                let anchor = hasVideo ? (stream.kind == .video && isKey) : true
                if muxer == nil {
                    if anchor && pts <= fromMicros {
                        // A later keyframe before the start: begin again from it.
                        for var old in pending { av_packet_free(&old) }
                        pending = []
                        pendingMeta = []
                        keyframe = pts
                    } else if keyframe == nil && !anchor {
                        av_packet_unref(packet)
                        continue
                    } else if keyframe == nil {
                        keyframe = pts
                    }
                    if pts < fromMicros {
                        pending.append(av_packet_clone(packet))
                        pendingMeta.append((index, dts, pts, duration))
                        av_packet_unref(packet)
                        continue
                    }
                    clipStart = keyframe!
                    muxer = try SegmentMuxer(path: output, format: format, streams: input.selected.map(\.parameters),
                                             inputTimeBases: input.selected.map(\.timeBase))
                    for (held, meta) in zip(pending, pendingMeta) where meta.pts >= clipStart {
                        try muxer!.write(held!, stream: meta.stream, dts: max(0, meta.dts - clipStart),
                                         pts: max(0, meta.pts - clipStart), duration: meta.duration)
                        count += 1
                    }
                }
                if pts >= toMicros && (!hasVideo || stream.kind == .video) { av_packet_unref(packet); break segmentLoop }
                try muxer!.write(packet!, stream: index, dts: max(0, dts - clipStart), pts: max(0, pts - clipStart), duration: duration)
                last = max(last, pts + duration)
                count += 1
            }
        }
        guard let muxer else { throw .cannotOpen(source: output, reason: "no keyframe found in the asked range") }
        let bytes = try muxer.finish()
        return ClipResult(start: Double(clipStart) / 1e6, end: Double(last) / 1e6, bytes: bytes, packets: count, unreadableSegments: unreadable)
    }
}
