import CFFmpeg
import Foundation
import SiaranCore

/// One fragmented-MP4 muxer for all the segments of one connection (CMAF-style): the init segment
/// (ftyp+moov, written at the first cut, so it holds the AAC config `aac_adtstoasc` finds) and then
/// one moof+mdat per media segment, whose `tfdt` is the session clock and whose `mfhd` sequence runs
/// on across segments and connections. Packets stay in the muxer's fragment until the cut, so an
/// open segment's `.part` is empty until it is finished.
///
/// Confined to the recorder's thread.
final class FMP4ConnectionMuxer: SegmentFileWriter {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var filters: [UnsafeMutablePointer<AVBSFContext>?] = []
    private var sink: FileSink?
    private var finalPath = ""
    private var partPath = ""
    private var timestamps = OutputTimestamps(timeBases: [])
    /// The init segment's bytes, once the first cut wrote them.
    private(set) var initSection: Data?
    /// Fragments written (the next `mfhd` sequence number is `firstFragment + fragments`).
    private(set) var fragments = 0

    let initBytes: Int64 = 0
    var bytesWritten: Int64 { sink?.bytesWritten ?? 0 }
    var isUsable: Bool { context != nil }

    init(streams: [CodecParameters], inputTimeBases: [AVRational], firstFragment: Int) throws(MediaError) {
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&ctx, nil, "mp4", nil)
        guard allocated >= 0, let ctx else {
            throw .libav(LibavError(code: allocated, function: "avformat_alloc_output_context2"), context: "cannot create an fmp4 segment")
        }
        context = ctx
        ctx.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        for (index, parameters) in streams.enumerated() {
            guard let stream = avformat_new_stream(ctx, nil) else { throw .writeFailed(path: "fmp4 segment", reason: "out of memory") }
            avcodec_parameters_copy(stream.pointee.codecpar, parameters.pointer)
            stream.pointee.codecpar.pointee.codec_tag = MP4CodecTags.tag(for: parameters.pointer.pointee.codec_id)
            stream.pointee.time_base = inputTimeBases[index]
        }
        var dynamic: UnsafeMutablePointer<AVIOContext>?
        guard avio_open_dyn_buf(&dynamic) >= 0 else { throw .writeFailed(path: "fmp4 init segment", reason: "out of memory") }
        ctx.pointee.pb = dynamic
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        av_dict_set(&options, "movflags", "frag_custom+empty_moov+default_base_moof+delay_moov+frag_discont+skip_trailer", 0)
        av_dict_set(&options, "use_editlist", "0", 0)
        av_dict_set(&options, "avoid_negative_ts", "make_non_negative", 0)
        av_dict_set_int(&options, "fragment_index", Int64(firstFragment), 0)
        let header = avformat_write_header(ctx, &options)
        guard header >= 0 else {
            throw .libav(LibavError(code: header, function: "avformat_write_header"), context: "cannot start an fmp4 connection")
        }
        let outputTimeBases = (0..<streams.count).map { ctx.pointee.streams[$0]!.pointee.time_base }
        timestamps = OutputTimestamps(timeBases: outputTimeBases, snapToCadence: true)
        filters = streams.enumerated().map { index, parameters in
            // MPEG-TS carries AAC with ADTS headers; MP4 wants them stripped and the config in the moov.
            guard parameters.pointer.pointee.codec_id == AV_CODEC_ID_AAC else { return nil }
            return SegmentMuxer.makeFilter("aac_adtstoasc", parameters: parameters.pointer, timeBase: outputTimeBases[index])
        }
    }

    deinit {
        for index in filters.indices where filters[index] != nil { av_bsf_free(&filters[index]) }
        closeDynamicBuffer()
        if let context { context.pointee.pb = nil; avformat_free_context(context) }
    }

    private func closeDynamicBuffer() {
        guard initSection == nil, let context, let pb = context.pointee.pb else { return }
        var bytes: UnsafeMutablePointer<UInt8>?
        _ = avio_close_dyn_buf(pb, &bytes)
        av_free(bytes)
        context.pointee.pb = nil
    }

    /// Names the file the next fragment goes to (`path.part` until finished).
    func beginSegment(path: String) throws(MediaError) {
        finalPath = path
        partPath = path + OpenSegmentRecord.partSuffix
        sink = try FileSink(path: partPath)
    }

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
        if result < 0 { throw .libav(LibavError(code: result, function: "av_interleaved_write_frame"), context: "cannot write to \(partPath)") }
    }

    /// Cuts the fragment: at the connection's first cut the init section first (kept in
    /// `initSection` for the segmenter to store), then the fragment into the segment's file, which
    /// is fsynced and renamed into place.
    func finish(durable: Bool) throws(MediaError) -> Int64 {
        guard let sink, let context else { return 0 }
        self.sink = nil
        var result = av_interleaved_write_frame(context, nil)
        if result >= 0, initSection == nil, let pb = context.pointee.pb {
            result = av_write_frame(context, nil)
            var bytes: UnsafeMutablePointer<UInt8>?
            let length = avio_close_dyn_buf(pb, &bytes)
            context.pointee.pb = nil
            initSection = bytes.map { Data(bytes: $0, count: Int(length)) } ?? Data()
            av_free(bytes)
        }
        if result >= 0 {
            context.pointee.pb = sink.context
            result = av_write_frame(context, nil)
            if let pb = context.pointee.pb { avio_flush(pb) }
            context.pointee.pb = nil
        }
        if result < 0 {
            let error = sink.mediaError(for: LibavError(code: result, function: "av_write_frame"), context: "cannot finish \(partPath)")
            try? sink.finish()
            unlink(partPath)
            throw error
        }
        fragments += 1
        return try sink.commit(as: finalPath, durable: durable)
    }

    /// Drops the segment being written; the muxer is not used again (its fragment held that segment).
    func abandon() {
        if let sink { try? sink.finish() }
        sink = nil
        unlink(partPath)
        closeDynamicBuffer()
        if let context { context.pointee.pb = nil; avformat_free_context(context) }
        context = nil
    }
}

/// An fMP4 init segment on disk: written as `NAME.part`, fsynced, renamed, like a media segment.
enum InitSegmentFile {
    static func write(_ bytes: Data, to path: String, durable: Bool) throws(MediaError) {
        let fd = open(path + ".part", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSink.error(errno, path: path) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                offset += n
            }
        }
        if failure == 0, durable, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(path + ".part", path) != 0 { failure = errno }
        if failure != 0 { unlink(path + ".part"); throw FileSink.error(failure, path: path) }
    }
}
