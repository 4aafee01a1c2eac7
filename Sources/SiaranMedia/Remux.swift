import CFFmpeg
import Foundation
import SiaranCore

/// What a remux copied.
public struct RemuxResult: Sendable {
    public var packets: Int
    /// First presentation time, in seconds, on the source's own clock.
    public var mediaStart: Double
    /// From the first frame to the end of the last, in seconds.
    public var duration: Double
    public var bytes: Int64
    public var initBytes: Int64
    /// Reads that failed (each skipped; after 16 the copy stops).
    public var readErrors: Int
}

/// Stream-copies packets of a media file into a new file, keeping timestamps.
public enum Remux {
    /// Reads `path` (forcing `formatName` when given) and reports the time span of its audio/video.
    public static func timing(of path: String, formatName: String? = nil) throws(MediaError) -> RemuxResult? {
        try copy(from: path, formatName: formatName, to: nil, format: .ts)
    }

    /// Copies the readable packets of a partial file `path` into `output` (written as
    /// `output.salvage`, then renamed). The last packet of each stream is dropped: a file cut off by a
    /// crash ends inside it. Returns nil, writing nothing, when no packet can be read.
    public static func salvage(_ path: String, formatName: String?, to output: String, format: SegmentFormat) throws(MediaError) -> RemuxResult? {
        try copy(from: path, formatName: formatName, to: output, format: format, dropLastPacket: true)
    }

    private static func copy(from path: String, formatName: String?, to output: String?, format: SegmentFormat,
                             dropLastPacket: Bool = false) throws(MediaError) -> RemuxResult? {
        var options = InputOptions()
        options.formatName = formatName
        options.openTimeout = 60
        options.readTimeout = 60
        let input = try InputSource(url: path, options: options, interrupt: InterruptControl())
        var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
        defer { av_packet_free(&packet) }
        var muxer: SegmentMuxer?
        var first = Int64.max
        var end = Int64.min
        var count = 0
        var failures = 0
        // With dropLastPacket, each stream's newest packet waits until the next one proves it whole.
        var held: [UnsafeMutablePointer<AVPacket>?] = Array(repeating: nil, count: input.selected.count)
        var heldTiming: [PacketTiming?] = Array(repeating: nil, count: input.selected.count)
        defer { for index in held.indices { av_packet_free(&held[index]) } }
        while true {
            let index: Int?
            do { index = try input.read(into: packet!) } catch {
                failures += 1
                if failures > 16 { break } else { continue }
            }
            guard let index else { break }
            let stream = input.selected[index]
            guard var timing = PacketTiming(packet!, stream: stream) else { av_packet_unref(packet); continue }
            if dropLastPacket {
                // Keep the new packet back; write the stream's previous one, now known to be whole.
                let incoming = av_packet_alloc()!
                av_packet_move_ref(incoming, packet)
                let previous = held[index]
                held[index] = incoming
                let previousTiming = heldTiming[index]
                heldTiming[index] = timing
                guard let previous, let previousTiming else { continue }
                av_packet_move_ref(packet, previous)
                var spent: UnsafeMutablePointer<AVPacket>? = previous
                av_packet_free(&spent)
                timing = previousTiming
            }
            first = min(first, timing.pts)
            end = max(end, timing.pts + timing.duration)
            count += 1
            if let output {
                if muxer == nil {
                    muxer = try SegmentMuxer(path: output, format: format, streams: input.selected.map(\.parameters),
                                             inputTimeBases: input.selected.map(\.timeBase), partSuffix: ".salvage")
                }
                try muxer!.write(packet!, stream: index, dts: timing.dts, pts: timing.pts, duration: timing.duration)
            }
            av_packet_unref(packet)
        }
        guard count > 0 else { return nil }
        let bytes = try muxer?.finish() ?? 0
        return RemuxResult(packets: count, mediaStart: Double(first) / 1e6, duration: Double(end - first) / 1e6,
                           bytes: bytes, initBytes: muxer?.initBytes ?? 0, readErrors: failures)
    }
}
