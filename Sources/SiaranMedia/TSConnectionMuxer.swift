import CFFmpeg
import Foundation
import SiaranCore

/// One MPEG-TS muxer for all the segments of one connection, as FFmpeg's own HLS muxer does: at each
/// cut the muxer is flushed and handed the next segment's file, with PAT/PMT sent again, so every
/// segment starts with its tables and a keyframe while continuity counters and the PCR run on
/// across segment files (players see no "TS discontinuity" at each boundary). The first segment of
/// a later connection is flagged as a discontinuity (`initial_discontinuity`), as the playlist says.
///
/// Confined to the recorder's thread.
final class TSConnectionMuxer: SegmentFileWriter {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let discontinuity: Bool
    private var headerWritten = false
    private var sink: FileSink?
    private var finalPath = ""
    private var partPath = ""
    private var timestamps = OutputTimestamps(timeBases: [])
    private let inputTimeBases: [AVRational]

    let initBytes: Int64 = 0
    var bytesWritten: Int64 { sink?.bytesWritten ?? 0 }

    init(streams: [CodecParameters], inputTimeBases: [AVRational], discontinuity: Bool) throws(MediaError) {
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&ctx, nil, "mpegts", nil)
        guard allocated >= 0, let ctx else {
            throw .libav(LibavError(code: allocated, function: "avformat_alloc_output_context2"), context: "cannot create a ts segment")
        }
        context = ctx
        ctx.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        ctx.pointee.flush_packets = 0
        for (index, parameters) in streams.enumerated() {
            guard let stream = avformat_new_stream(ctx, nil) else { throw .writeFailed(path: "ts segment", reason: "out of memory") }
            avcodec_parameters_copy(stream.pointee.codecpar, parameters.pointer)
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = inputTimeBases[index]
        }
        self.inputTimeBases = inputTimeBases
        self.discontinuity = discontinuity
    }

    deinit {
        context?.pointee.pb = nil
        if context != nil { avformat_free_context(context) }
    }

    /// Starts writing `path.part`: the header for the connection's first segment, else PAT/PMT again.
    func beginSegment(path: String) throws(MediaError) {
        finalPath = path
        partPath = path + OpenSegmentRecord.partSuffix
        let sink = try FileSink(path: partPath)
        self.sink = sink
        context!.pointee.pb = sink.context
        if headerWritten {
            av_opt_set(context!.pointee.priv_data, "mpegts_flags", "+resend_headers", 0)
            return
        }
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        if discontinuity { av_dict_set(&options, "mpegts_flags", "+initial_discontinuity", 0) }
        let header = avformat_write_header(context, &options)
        if header < 0 {
            abandon()
            throw sink.mediaError(for: LibavError(code: header, function: "avformat_write_header"), context: "cannot start segment \(partPath)")
        }
        headerWritten = true
        timestamps = OutputTimestamps(timeBases: (0..<inputTimeBases.count).map { context!.pointee.streams[$0]!.pointee.time_base })
    }

    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int, dts: Int64, pts: Int64, duration: Int64) throws(MediaError) {
        timestamps.stamp(packet, stream: stream, dts: dts, pts: pts, duration: duration)
        let result = av_interleaved_write_frame(context, packet)
        if result < 0 {
            throw (sink?.mediaError(for: LibavError(code: result, function: "av_interleaved_write_frame"), context: "cannot write to \(partPath)"))
                ?? .writeFailed(path: partPath, reason: "no segment open")
        }
    }

    /// Flushes everything queued into the current file (the interleaving queue first, or packets of
    /// this segment would land in the next), fsyncs it and renames it into place.
    func finish(durable: Bool) throws(MediaError) -> Int64 {
        guard let sink else { return 0 }
        var flushed = av_interleaved_write_frame(context, nil)
        if flushed >= 0 { flushed = av_write_frame(context, nil) }
        if let pb = context!.pointee.pb { avio_flush(pb) }
        context!.pointee.pb = nil
        self.sink = nil
        if flushed < 0 {
            let error = sink.mediaError(for: LibavError(code: flushed, function: "av_write_frame"), context: "cannot finish \(partPath)")
            try? sink.finish()
            unlink(partPath)
            throw error
        }
        return try sink.commit(as: finalPath, durable: durable)
    }

    /// Drops the segment being written. The muxer is not used again: what it had queued belonged to
    /// the dropped file.
    func abandon() {
        context?.pointee.pb = nil
        if let sink { try? sink.finish() }
        sink = nil
        unlink(partPath)
        if context != nil { avformat_free_context(context); context = nil }
    }

    /// Whether the muxer can take another segment (not after `abandon`).
    var isUsable: Bool { context != nil }
}
