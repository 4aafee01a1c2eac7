import CFFmpeg
import SiaranCore

/// An owned copy of a stream's codec parameters, independent of the input it came from
/// (so a segment can be finished after its connection is gone).
final class CodecParameters {
    let pointer: UnsafeMutablePointer<AVCodecParameters>

    init(copying source: UnsafePointer<AVCodecParameters>) {
        pointer = avcodec_parameters_alloc()!
        avcodec_parameters_copy(pointer, source)
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&p)
    }

    var description: StreamDescription {
        let p = pointer.pointee
        let codec = String(cString: avcodec_get_name(p.codec_id))
        switch p.codec_type {
        case AVMEDIA_TYPE_VIDEO:
            return StreamDescription(kind: .video, codec: codec, width: Int(p.width), height: Int(p.height),
                                     bitRate: p.bit_rate > 0 ? Int(p.bit_rate) : nil)
        case AVMEDIA_TYPE_AUDIO:
            return StreamDescription(kind: .audio, codec: codec, sampleRate: Int(p.sample_rate),
                                     channels: Int(p.ch_layout.nb_channels), bitRate: p.bit_rate > 0 ? Int(p.bit_rate) : nil)
        default:
            return StreamDescription(kind: .subtitle, codec: codec)
        }
    }
}

/// One selected stream of an open input.
struct SelectedStream {
    /// Index in the input's stream list.
    let inputIndex: Int
    let kind: StreamKind
    let timeBase: AVRational
    let parameters: CodecParameters
    /// Timeline track: continuity is kept per track across reconnects.
    var track: Int {
        switch kind {
        case .video: return 0
        case .audio: return 1
        case .subtitle: return 2 + inputIndex
        }
    }
}

/// A packet's timestamps in microseconds.
struct PacketTiming {
    var dts: Int64
    var pts: Int64
    /// 0 when the packet does not say.
    var duration: Int64

    private static let micros = siaran_time_base_q()

    /// The timing of `packet` read from `stream`; nil when it carries no timestamp at all.
    /// A missing dts or pts stands in for the other.
    init?(_ packet: UnsafeMutablePointer<AVPacket>, stream: SelectedStream) {
        let p = packet.pointee
        guard p.dts != SIARAN_NOPTS_VALUE || p.pts != SIARAN_NOPTS_VALUE else { return nil }
        dts = av_rescale_q(p.dts != SIARAN_NOPTS_VALUE ? p.dts : p.pts, stream.timeBase, Self.micros)
        pts = av_rescale_q(p.pts != SIARAN_NOPTS_VALUE ? p.pts : p.dts, stream.timeBase, Self.micros)
        duration = p.duration > 0 ? av_rescale_q(p.duration, stream.timeBase, Self.micros) : 0
        // A timestamp beyond a few centuries (a crafted stream, or a rescale that saturated) is no
        // moment at all: the packet is dropped, so the session clock's arithmetic never overflows.
        guard (-Self.latest...Self.latest).contains(dts), (-Self.latest...Self.latest).contains(pts), (0...Self.latest).contains(duration) else { return nil }
    }

    /// 2^52 µs, about 142 years: far beyond any real stream's timestamps (the 33-bit MPEG-TS clock
    /// wraps after 26.5 hours), and far enough from Int64's limits that sums of a few never overflow.
    static let latest: Int64 = 1 << 52
}
