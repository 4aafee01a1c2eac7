import CFFmpeg

/// The sample-entry tag a stream gets in MP4 and fMP4 output. libav's default for HEVC is `hev1`
/// (parameter sets may come in band); Apple's HLS authoring rules require `hvc1` (parameter sets in
/// the init segment's `hvcC` only), or Safari and iOS refuse to play it. Every other codec keeps
/// libav's own choice (tag 0).
enum MP4CodecTags {
    static func tag(for codec: AVCodecID) -> UInt32 {
        codec == AV_CODEC_ID_HEVC ? fourCC("hvc1") : 0
    }

    static func fourCC(_ text: String) -> UInt32 {
        text.utf8.prefix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
}
