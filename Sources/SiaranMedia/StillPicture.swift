import CFFmpeg
import SiaranCore

/// Decodes one video keyframe on its own (no earlier frames needed) into a picture.
enum VideoFrameDecoder {
    /// The picture of `packet`, a keyframe of `stream`; the caller frees it (`av_frame_free`).
    static func decode(_ packet: UnsafeMutablePointer<AVPacket>, stream: SelectedStream,
                       segment: String) throws(MediaError) -> UnsafeMutablePointer<AVFrame> {
        let source = "the video of segment \(segment)"
        guard let decoder = avcodec_find_decoder(stream.parameters.pointer.pointee.codec_id) else {
            throw .cannotOpen(source: source, reason: "no decoder for \(stream.parameters.description.codec)")
        }
        var codec = avcodec_alloc_context3(decoder)
        defer { avcodec_free_context(&codec) }
        guard let codec else { throw .cannotOpen(source: source, reason: "out of memory") }
        avcodec_parameters_to_context(codec, stream.parameters.pointer)
        codec.pointee.pkt_timebase = stream.timeBase
        codec.pointee.thread_count = 1
        let opened = avcodec_open2(codec, decoder, nil)
        guard opened >= 0 else { throw .cannotOpen(source: source, reason: LibavError.describe(opened)) }
        var frame = av_frame_alloc()
        // The keyframe, then the end of the stream: a decoder that holds frames back (reordering) lets it out.
        let sent = avcodec_send_packet(codec, packet)
        avcodec_send_packet(codec, nil)
        let received = avcodec_receive_frame(codec, frame)
        guard sent >= 0, received >= 0, let picture = frame else {
            av_frame_free(&frame)
            let code = sent < 0 ? sent : received
            throw .cannotOpen(source: source, reason: "its keyframe does not decode (\(LibavError.describe(code)))")
        }
        return picture
    }
}

/// One picture scaled (libswscale) and encoded as a baseline JPEG (libavcodec's mjpeg encoder).
enum JPEGStill {
    /// The JPEG quantiser scale (2 best … 31 worst); 3 looks like the source at thumbnail sizes.
    static let quality: Int32 = 3

    /// The height that keeps `frame`'s displayed aspect at `width` (even, for 4:2:0 chroma).
    static func height(of frame: UnsafePointer<AVFrame>, atWidth width: Int) -> Int {
        let sar = frame.pointee.sample_aspect_ratio
        let pixelAspect = sar.num > 0 && sar.den > 0 ? Double(sar.num) / Double(sar.den) : 1
        let display = Double(frame.pointee.width) * pixelAspect / Double(max(1, frame.pointee.height))
        return max(2, Int((Double(width) / display / 2).rounded()) * 2)
    }

    static func encode(_ frame: UnsafeMutablePointer<AVFrame>, width: Int,
                       segment: String) throws(MediaError) -> (bytes: [UInt8], width: Int, height: Int) {
        let height = height(of: frame, atWidth: width)
        var scaled = av_frame_alloc()
        defer { av_frame_free(&scaled) }
        guard let scaled else { throw .writeFailed(path: "the thumbnail", reason: "out of memory") }
        scaled.pointee.width = Int32(width)
        scaled.pointee.height = Int32(height)
        scaled.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        guard av_frame_get_buffer(scaled, 0) >= 0 else { throw .writeFailed(path: "the thumbnail", reason: "out of memory") }
        // A J format is full range, as JPEG is: libswscale expands the source's video range itself.
        guard let scaler = sws_getContext(frame.pointee.width, frame.pointee.height, AVPixelFormat(frame.pointee.format),
                                          Int32(width), Int32(height), AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, nil, nil, nil) else {
            throw .cannotOpen(source: "the video of segment \(segment)", reason: "libswscale cannot scale its pictures to \(width)×\(height)")
        }
        defer { sws_freeContext(scaler) }
        let status = sws_scale_frame(scaler, scaled, frame)
        guard status >= 0 else { throw .libav(LibavError(code: status, function: "sws_scale_frame"), context: "cannot scale the picture") }
        return (try jpeg(scaled), width, height)
    }

    private static func jpeg(_ picture: UnsafeMutablePointer<AVFrame>) throws(MediaError) -> [UInt8] {
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw .writeFailed(path: "the thumbnail", reason: "this libavcodec has no mjpeg encoder")
        }
        var codec = avcodec_alloc_context3(encoder)
        defer { avcodec_free_context(&codec) }
        guard let codec else { throw .writeFailed(path: "the thumbnail", reason: "out of memory") }
        codec.pointee.width = picture.pointee.width
        codec.pointee.height = picture.pointee.height
        codec.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        codec.pointee.time_base = AVRational(num: 1, den: 25)
        codec.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
        codec.pointee.global_quality = Int32(FF_QP2LAMBDA) * quality
        let opened = avcodec_open2(codec, encoder, nil)
        guard opened >= 0 else { throw .libav(LibavError(code: opened, function: "avcodec_open2"), context: "cannot start the JPEG encoder") }
        picture.pointee.quality = codec.pointee.global_quality
        picture.pointee.pts = 0
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        let sent = avcodec_send_frame(codec, picture)
        avcodec_send_frame(codec, nil)
        let received = avcodec_receive_packet(codec, packet)
        guard sent >= 0, received >= 0, let packet, let data = packet.pointee.data else {
            throw .libav(LibavError(code: sent < 0 ? sent : received, function: "avcodec_receive_packet"), context: "cannot encode the JPEG")
        }
        return Array(UnsafeBufferPointer(start: data, count: Int(packet.pointee.size)))
    }
}
