import CFFmpeg
import Foundation
import SiaranCore

extension SegmentFormat {
    var muxerName: String { self == .ts ? "mpegts" : "mp4" }
}

/// Writes one segment file by remuxing packets (no re-encode) into `NAME.part`, and on `finish()`
/// writes the trailer, fsyncs and renames it to `NAME`. (A clip may instead go to standard output:
/// written as it is made, never sought.)
///
/// Confined to the recorder's thread.
final class SegmentMuxer {
    /// Where the file is renamed to when finished; nil for a stream.
    let finalPath: String?
    let partPath: String
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let sink: FileSink
    private var timestamps: OutputTimestamps
    private let outputTimeBases: [AVRational]
    /// Bytes of the init section (ftyp+moov) at the start of an fMP4 segment; 0 for TS.
    private(set) var initBytes: Int64 = 0
    private var finished = false
    /// Per output stream: a bitstream filter the container needs (ADTS AAC into MP4), if any.
    private var filters: [UnsafeMutablePointer<AVBSFContext>?] = []

    /// Creates `path.part` and writes the container header for `streams`.
    convenience init(path: String, format: SegmentFormat, streams: [CodecParameters], inputTimeBases: [AVRational],
                     partSuffix: String = ".part") throws(MediaError) {
        try self.init(sink: try FileSink(path: path + partSuffix), finalPath: path, format: format,
                      streams: streams, inputTimeBases: inputTimeBases)
    }

    /// Writes the container header for `streams` to standard output (fMP4 fragments are sent as
    /// each one is complete).
    convenience init(standardOutputFormat format: SegmentFormat, streams: [CodecParameters], inputTimeBases: [AVRational]) throws(MediaError) {
        try self.init(sink: try FileSink(standardOutput: ()), finalPath: nil, format: format,
                      streams: streams, inputTimeBases: inputTimeBases)
    }

    private init(sink: FileSink, finalPath: String?, format: SegmentFormat, streams: [CodecParameters],
                 inputTimeBases: [AVRational]) throws(MediaError) {
        self.finalPath = finalPath
        partPath = sink.path
        self.sink = sink
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&ctx, nil, format.muxerName, nil)
        guard allocated >= 0, let ctx else {
            sink.discard()
            throw .libav(LibavError(code: allocated, function: "avformat_alloc_output_context2"), context: "cannot create a \(format.rawValue) segment")
        }
        context = ctx
        ctx.pointee.pb = sink.context
        ctx.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        // Our sink is a plain file: let libav fill its buffer instead of flushing after every packet.
        // A stream's reader gets each fragment as soon as it is complete.
        ctx.pointee.flush_packets = sink.isStream ? 1 : 0
        for (index, parameters) in streams.enumerated() {
            guard let stream = avformat_new_stream(ctx, nil) else {
                sink.discard()
                throw .writeFailed(path: partPath, reason: "out of memory")
            }
            avcodec_parameters_copy(stream.pointee.codecpar, parameters.pointer)
            stream.pointee.codecpar.pointee.codec_tag = format == .fmp4 ? MP4CodecTags.tag(for: parameters.pointer.pointee.codec_id) : 0
            stream.pointee.time_base = inputTimeBases[index]
        }
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        if format == .fmp4 {
            av_dict_set(&options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0)
        }
        let header = avformat_write_header(ctx, &options)
        if header < 0 {
            // Nothing of this segment is worth keeping; leave no half-written file behind.
            sink.discard()
            throw sink.mediaError(for: LibavError(code: header, function: "avformat_write_header"),
                                  context: "cannot start segment \(partPath)")
        }
        if format == .fmp4, let pb = sink.context {
            avio_flush(pb)
            initBytes = sink.bytesWritten
        }
        outputTimeBases = (0..<streams.count).map { ctx.pointee.streams[$0]!.pointee.time_base }
        timestamps = OutputTimestamps(timeBases: outputTimeBases)
        filters = streams.enumerated().map { index, parameters in
            // MPEG-TS carries AAC with ADTS headers; MP4 wants them stripped (libav 5.1 does not add this itself).
            guard format == .fmp4, parameters.pointer.pointee.codec_id == AV_CODEC_ID_AAC else { return nil }
            return Self.makeFilter("aac_adtstoasc", parameters: parameters.pointer, timeBase: outputTimeBases[index])
        }
    }

    deinit {
        for index in filters.indices where filters[index] != nil { av_bsf_free(&filters[index]) }
        if context != nil { avformat_free_context(context) }
    }

    static func makeFilter(_ name: String, parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational) -> UnsafeMutablePointer<AVBSFContext>? {
        guard let filter = av_bsf_get_by_name(name) else { return nil }
        var context: UnsafeMutablePointer<AVBSFContext>?
        guard av_bsf_alloc(filter, &context) >= 0, let context else { return nil }
        avcodec_parameters_copy(context.pointee.par_in, parameters)
        context.pointee.time_base_in = timeBase
        var owned: UnsafeMutablePointer<AVBSFContext>? = context
        if av_bsf_init(context) < 0 { av_bsf_free(&owned); return nil }
        return context
    }

    /// Bytes written so far (libav may still buffer a little).
    var bytesWritten: Int64 { sink.bytesWritten }

    /// Writes `packet` as output stream `stream` with session-clock timestamps in microseconds.
    /// Takes the packet's data (it is unreferenced afterwards).
    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int, dts: Int64, pts: Int64, duration: Int64) throws(MediaError) {
        timestamps.stamp(packet, stream: stream, dts: dts, pts: pts, duration: duration)
        if let bsf = filters[stream] {
            if av_bsf_send_packet(bsf, packet) < 0 { av_packet_unref(packet); return }
            while av_bsf_receive_packet(bsf, packet) >= 0 {
                packet.pointee.stream_index = Int32(stream)
                try interleave(packet)
            }
            return
        }
        try interleave(packet)
    }

    private func interleave(_ packet: UnsafeMutablePointer<AVPacket>) throws(MediaError) {
        let result = av_interleaved_write_frame(context, packet)
        if result < 0 {
            throw sink.mediaError(for: LibavError(code: result, function: "av_interleaved_write_frame"),
                                  context: "cannot write to \(partPath)")
        }
    }

    /// Writes the trailer, makes the file durable (unless `durable` is false: the caller syncs later)
    /// and renames it into place. Returns its size.
    @discardableResult
    func finish(durable: Bool = true) throws(MediaError) -> Int64 {
        precondition(!finished, "segment finished twice")
        finished = true
        let trailer = av_write_trailer(context)
        avformat_free_context(context)
        context = nil
        if trailer < 0 {
            let error = sink.mediaError(for: LibavError(code: trailer, function: "av_write_trailer"), context: "cannot finish \(partPath)")
            try? sink.finish()
            sink.discard()
            throw error
        }
        guard let finalPath else { try sink.finish(durable: false); return sink.bytesWritten }
        return try sink.commit(as: finalPath, durable: durable)
    }

    /// Drops the segment being written: the `.part` file is removed.
    func abandon() {
        finished = true
        if context != nil { avformat_free_context(context); context = nil }
        try? sink.finish()
        sink.discard()
    }
}
