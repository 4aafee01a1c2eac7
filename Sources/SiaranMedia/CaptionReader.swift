import CFFmpeg
import Foundation
import SiaranCore

/// The cues read from a caption file, and whether reading stopped before its end.
public struct CaptionFileContents: Sendable {
    /// In time order, markup removed.
    public var cues: [Cue]
    /// Why reading stopped before the end of the file (libav's message), if it did.
    public var stoppedEarly: String?
}

/// Reads WebVTT and SubRip (SRT) files through libav's own demuxers.
public enum CaptionReader {
    /// The cues of the caption file at `path`.
    public static func read(path: String) throws(MediaError) -> CaptionFileContents {
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let interrupt = InterruptControl()
        interrupt.arm(seconds: 30)
        ctx = avformat_alloc_context()
        ctx?.pointee.interrupt_callback = interrupt.callback
        let opened = avformat_open_input(&ctx, path, nil, nil)
        guard opened >= 0, let context = ctx else {
            throw .cannotOpen(source: path, reason: "not a caption file libav can read (\(LibavError.describe(opened)))")
        }
        defer { avformat_close_input(&ctx) }
        _ = avformat_find_stream_info(context, nil)
        let index = av_find_best_stream(context, AVMEDIA_TYPE_SUBTITLE, -1, -1, nil, 0)
        guard index >= 0 else { throw .cannotOpen(source: path, reason: "it holds no subtitle or caption stream (expected WebVTT or SRT)") }
        let timeBase = context.pointee.streams[Int(index)]!.pointee.time_base
        var packet: UnsafeMutablePointer<AVPacket>? = av_packet_alloc()
        defer { av_packet_free(&packet) }
        var cues: [Cue] = []
        var status: Int32 = 0
        while true {
            status = av_read_frame(context, packet)
            guard status >= 0 else { break }
            defer { av_packet_unref(packet) }
            let p = packet!.pointee
            guard p.stream_index == index, let data = p.data, p.size > 0, p.pts != SIARAN_NOPTS_VALUE else { continue }
            let raw = String(decoding: UnsafeBufferPointer(start: data, count: Int(p.size)), as: UTF8.self)
            let text = WebVTT.clean(raw)
            guard !text.isEmpty else { continue }
            let start = Double(p.pts) * av_q2d(timeBase)
            let end = start + Double(max(p.duration, 0)) * av_q2d(timeBase)
            cues.append(Cue(start: start, end: end, text: text, voice: WebVTT.voice(raw)))
        }
        let stoppedEarly = status == SIARAN_AVERROR_EOF ? nil : LibavError.describe(status)
        return CaptionFileContents(cues: cues.sorted { $0.start < $1.start }, stoppedEarly: stoppedEarly)
    }
}
