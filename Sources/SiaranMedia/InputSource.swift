import SiaranCore
import CFFmpeg
import Foundation

/// How to open a source.
public struct InputOptions: Sendable {
    /// Wait for a client to push to the URL (RTMP push, SRT/TCP listener) instead of connecting out.
    public var listen = false
    /// The longest one open attempt may take (nil: no limit, e.g. while listening).
    public var openTimeout: Double? = 15
    /// The longest a read may wait for data before the source counts as stalled.
    public var readTimeout: Double = 10
    /// Forces a container format (e.g. "mpegts") instead of probing.
    public var formatName: String?
    /// Also read text subtitle streams (captions carried in the source), for the segmenter to collect.
    public var captureSubtitles = false
    /// Which variant to record when the source offers several (an HLS master playlist).
    public var quality: QualityChoice = .best
    /// HTTP request headers ("Name: value") and User-Agent.
    public var headers: [String] = []
    public var userAgent: String?
    /// Which libav protocols the source may open, its playlists' segments and keys included (nil: any).
    public var protocols: SourceProtocols?

    public init() {}
}

/// The libav protocols a recorded source may use (`protocol_whitelist`).
public enum SourceProtocols: Sendable {
    /// A network source: an HLS playlist or DASH manifest that names `file:` segments, or a redirect
    /// to one, cannot read this machine's files.
    case network
    /// A file or standard input (`import`, `record -`).
    case local

    var whitelist: String {
        switch self {
        case .network: return "http,https,tls,tcp,udp,udplite,rtp,srtp,rtmp,rtmps,rtmpt,rtmpts,rtmpe,rtmpte,srt,crypto,httpproxy"
        case .local: return "file,pipe"
        }
    }
}

/// An open libav demuxer on a URL or file, with every blocking call bounded by an `InterruptControl`.
///
/// Confined to one thread (the recorder's); not Sendable.
public final class InputSource {
    /// The URL with secrets removed, for messages.
    public let displayName: String
    /// When the connection was established (before the streams were probed): media flows from here.
    public private(set) var openedAt = Date()
    /// For an RTSP pull, how RTP arrives: "tcp" (interleaved) or "udp" (the server refused TCP).
    public private(set) var rtspTransport: String?
    /// When the source offered several variants: what they were and which one is recorded.
    public private(set) var variantChoice: String?
    let selected: [SelectedStream]
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let interrupt: InterruptControl
    private let readTimeout: Double
    private let streamByInputIndex: [Int: Int]

    /// Opens `url` (a file path or any URL libav reads) and picks its video, audio and subtitle streams.
    public init(url: String, options: InputOptions = InputOptions(), interrupt: InterruptControl) throws(MediaError) {
        displayName = Redaction.redact(url)
        LibavLogging.protect(url)
        self.interrupt = interrupt
        interrupt.beginConnection()
        readTimeout = options.readTimeout

        let lower = url.lowercased()
        var dict = Self.protocolOptions(lower, listen: options.listen)
        if lower.hasPrefix("http") {
            if !options.headers.isEmpty { av_dict_set(&dict, "headers", options.headers.map { $0 + "\r\n" }.joined(), 0) }
            if let agent = options.userAgent { av_dict_set(&dict, "user_agent", agent, 0) }
        }
        if let protocols = options.protocols { av_dict_set(&dict, "protocol_whitelist", protocols.whitelist, 0) }
        defer { av_dict_free(&dict) }
        var format: UnsafePointer<AVInputFormat>?
        if let name = options.formatName {
            format = av_find_input_format(name)
            if format == nil { throw .cannotOpen(source: displayName, reason: "unknown format \(name)") }
        }
        // The stream key is the credential of a push. An RTMP push is checked by its gate before
        // libav sees its commands (libav accepts any application and key, and only logs them).
        let gate = options.listen ? try PushGate.gate(for: url) : nil
        let refusedBefore = gate?.refusals.count ?? 0
        if options.listen { LibavLogging.defaultInstalled }
        let mismatchedBefore = LibavLogging.mismatchedPushes()
        let opened: (UnsafeMutablePointer<AVFormatContext>, String?)
        do {
            opened = try Self.open(gate?.innerURL ?? url, format: format, options: dict, listen: options.listen, timeout: options.openTimeout,
                                   interrupt: interrupt, displayName: displayName)
        } catch {
            if let gate, gate.refusals.count != refusedBefore { throw .refusedPush(listeningOn: displayName, reason: gate.refusals.reason) }
            throw error
        }
        let (ctx, transport) = opened
        // An RTSP push to another path: libav compares the ANNOUNCE path, logs the mismatch and goes
        // on; the count of those lines (LibavLogging) refuses it here, before a packet is read.
        if options.listen, LibavLogging.mismatchedPushes() != mismatchedBefore {
            var maybe: UnsafeMutablePointer<AVFormatContext>? = ctx
            avformat_close_input(&maybe)
            throw .refusedPush(listeningOn: displayName, reason: "libav reported another application, key or path")
        }
        rtspTransport = transport
        context = ctx
        openedAt = Date()
        let found = avformat_find_stream_info(ctx, nil)
        interrupt.arm(seconds: nil)
        if found < 0 {
            avformat_close_input(&context)
            throw .cannotOpen(source: displayName, reason: Self.openFailureReason(found, url: lower, interrupt: interrupt, timeout: options.openTimeout))
        }
        // libav 5.1's DASH demuxer re-reads a live (dynamic) MPD's segments: media repeated several
        // times over and a flood of 404s. The recorder reads live DASH through streamlink instead.
        if String(cString: ctx.pointee.iformat.pointee.name) == "dash", ctx.pointee.duration <= 0 {
            avformat_close_input(&context)
            throw .liveDash(source: displayName)
        }
        let program = Self.chooseProgram(ctx, quality: options.quality)
        variantChoice = program?.summary
        let picks = Self.pickStreams(ctx, captureSubtitles: options.captureSubtitles, related: program?.firstStream ?? -1)
        if !picks.contains(where: { $0.kind != .subtitle }) {
            avformat_close_input(&context)
            throw .noAudioOrVideo(source: displayName)
        }
        selected = picks
        streamByInputIndex = Dictionary(uniqueKeysWithValues: picks.enumerated().map { ($1.inputIndex, $0) })
    }

    /// Protocol options for `url` (lower-cased): listening for a push, UDP overruns, SRT's latency, no
    /// HTTP retries inside libav (the recorder reconnects itself and records the gap).
    private static func protocolOptions(_ lower: String, listen: Bool) -> OpaquePointer? {
        var dict: OpaquePointer?
        if listen {
            if lower.hasPrefix("rtmp") { av_dict_set(&dict, "listen", "1", 0) }
            if lower.hasPrefix("tcp:"), !lower.contains("listen") { av_dict_set(&dict, "listen", "1", 0) }
            if lower.hasPrefix("srt:"), !lower.contains("mode=") { av_dict_set(&dict, "mode", "listener", 0) }
            if lower.hasPrefix("rtsp") { av_dict_set(&dict, "rtsp_flags", "listen", 0) }
        }
        if lower.hasPrefix("udp") { av_dict_set(&dict, "overrun_nonfatal", "1", 0) }
        // SRT resends a lost packet only within its latency (libsrt's default 120 ms, the larger of both
        // ends' wins), then plays on without it: a torn picture in the archive. A recording can wait, so
        // one second, unless the URL says otherwise.
        if lower.hasPrefix("srt:"), !lower.contains("latency=") { av_dict_set(&dict, "latency", "1000000", 0) }
        if lower.hasPrefix("http") {
            av_dict_set(&dict, "reconnect", "0", 0)
            av_dict_set(&dict, "seg_max_retry", "0", 0)
        }
        return dict
    }

    /// Opens the demuxer. RTSP pulls interleave RTP in the TCP connection (no loss, passes NAT);
    /// servers that only relay RTP over UDP refuse that SETUP, and then one more attempt asks for UDP.
    private static func open(_ url: String, format: UnsafePointer<AVInputFormat>?, options dict: OpaquePointer?, listen: Bool,
                             timeout: Double?, interrupt: InterruptControl,
                             displayName: String) throws(MediaError) -> (UnsafeMutablePointer<AVFormatContext>, String?) {
        let lower = url.lowercased()
        let transports: [String?] = lower.hasPrefix("rtsp") && !listen ? ["tcp", "udp"] : [nil]
        var opened: Int32 = 0
        for transport in transports {
            // avformat_open_input frees the context on failure: each attempt gets a new one.
            guard let ctx = avformat_alloc_context() else { throw .cannotOpen(source: displayName, reason: "out of memory") }
            ctx.pointee.interrupt_callback = interrupt.callback
            var attemptOptions: OpaquePointer?
            defer { av_dict_free(&attemptOptions) }
            av_dict_copy(&attemptOptions, dict, 0)
            if let transport { av_dict_set(&attemptOptions, "rtsp_transport", transport, 0) }
            interrupt.arm(seconds: timeout)
            var maybe: UnsafeMutablePointer<AVFormatContext>? = ctx
            opened = avformat_open_input(&maybe, url, format, &attemptOptions)
            if opened >= 0, let maybe { return (maybe, transport) }
            let unreachable = opened == SIARAN_AVERROR_EXIT || [ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].map(siaran_averror).contains(opened)
            if unreachable { break }
        }
        throw .cannotOpen(source: displayName, reason: openFailureReason(opened, url: lower, interrupt: interrupt, timeout: timeout, listen: listen))
    }

    /// The best video and audio stream, and text subtitle streams when asked; every other stream is discarded.
    /// With several programs (the variants of an HLS master playlist), the one `quality` picks: every
    /// stream of the others is discarded (libav then stops fetching them); nil with one program.
    private static func chooseProgram(_ ctx: UnsafeMutablePointer<AVFormatContext>,
                                      quality: QualityChoice) -> (firstStream: Int32, summary: String)? {
        let count = Int(ctx.pointee.nb_programs)
        guard count > 1, let programs = ctx.pointee.programs else { return nil }
        var variants: [QualityChoice.Variant] = []
        var streamsOf: [[Int]] = []
        for index in 0..<count {
            let program = programs[index]!.pointee
            let streams = (0..<Int(program.nb_stream_indexes)).map { Int(program.stream_index[$0]) }
            let height = streams.map { Int(ctx.pointee.streams[$0]!.pointee.codecpar.pointee.height) }.max() ?? 0
            let rate = av_dict_get(program.metadata, "variant_bitrate", nil, 0).flatMap { Int(String(cString: $0.pointee.value)) } ?? 0
            variants.append(QualityChoice.Variant(height: height, bitRate: rate))
            streamsOf.append(streams)
        }
        guard let chosen = quality.pick(variants), let first = streamsOf[chosen].first else { return nil }
        let keep = Set(streamsOf[chosen])
        for index in 0..<Int(ctx.pointee.nb_streams) where !keep.contains(index) { ctx.pointee.streams[index]!.pointee.discard = AVDISCARD_ALL }
        func label(_ v: QualityChoice.Variant) -> String {
            (v.height > 0 ? "\(v.height)p" : "audio") + (v.bitRate > 0 ? " \(Decimals.string(Double(v.bitRate) / 1e6, places: 2)) Mbit/s" : "")
        }
        let offered = variants.map(label).joined(separator: ", ")
        return (Int32(first), "the stream offers \(count) variants (\(offered)); recording \(label(variants[chosen])) (--quality \(quality))")
    }

    private static func pickStreams(_ ctx: UnsafeMutablePointer<AVFormatContext>, captureSubtitles: Bool, related: Int32) -> [SelectedStream] {
        var picks: [SelectedStream] = []
        let isFLV = String(cString: ctx.pointee.iformat.pointee.name).contains("flv")
        let bestVideo = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, related, nil, 0)
        let bestAudio = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, related, nil, 0)
        for index in 0..<Int(ctx.pointee.nb_streams) {
            let stream = ctx.pointee.streams[index]!
            let par = stream.pointee.codecpar!
            let kind: StreamKind
            switch par.pointee.codec_type {
            case AVMEDIA_TYPE_VIDEO where index == bestVideo:
                // Cover art and other still pictures are not a video stream to record.
                if stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 { continue }
                kind = .video
            case AVMEDIA_TYPE_AUDIO where index == bestAudio: kind = .audio
            case AVMEDIA_TYPE_SUBTITLE where captureSubtitles && textSubtitleCodecs.contains(par.pointee.codec_id)
                && !(isFLV && par.pointee.codec_id == AV_CODEC_ID_TEXT):
                // (FLV's "text" stream is its script-data channel: encoders such as GStreamer's flvmux
                // repeat onMetaData there; it holds no captions.)
                kind = .subtitle
            case _ where stream.pointee.discard == AVDISCARD_ALL:
                continue
            default:
                stream.pointee.discard = AVDISCARD_ALL
                continue
            }
            if par.pointee.codec_id == AV_CODEC_ID_NONE { stream.pointee.discard = AVDISCARD_ALL; continue }
            picks.append(SelectedStream(inputIndex: index, kind: kind, timeBase: stream.pointee.time_base,
                                        parameters: CodecParameters(copying: par)))
        }
        return picks
    }

    /// Subtitle codecs whose packets are text (captured as caption cues).
    static let textSubtitleCodecs: Set<AVCodecID> = [AV_CODEC_ID_SUBRIP, AV_CODEC_ID_WEBVTT, AV_CODEC_ID_MOV_TEXT,
                                                     AV_CODEC_ID_ASS, AV_CODEC_ID_SSA, AV_CODEC_ID_TEXT]

    deinit {
        close()
    }

    /// Closes the connection now (before reconnecting, so a single-client server can take the new one).
    public func close() {
        if context != nil { avformat_close_input(&context) }
    }

    /// The selected streams, described.
    public var streams: [StreamDescription] { selected.map { $0.parameters.description } }

    /// The source's `creation_time` metadata, when it has one (recordings from meeting platforms do).
    public var creationTime: Date? {
        guard let ctx = context, let entry = av_dict_get(ctx.pointee.metadata, "creation_time", nil, 0),
              let value = entry.pointee.value else { return nil }
        return ISO8601.parse(String(cString: value))
    }

    /// Duration the container declares, in seconds, if known.
    public var declaredDuration: Double? {
        guard let ctx = context, ctx.pointee.duration > 0 else { return nil }
        return Double(ctx.pointee.duration) / Double(AV_TIME_BASE)
    }

    /// Reads the next packet of a selected stream into `packet`. Returns the index into `selected`,
    /// or nil at the end of the input. Throws on a read error or when the source stalls.
    func read(into packet: UnsafeMutablePointer<AVPacket>) throws(LibavError) -> Int? {
        guard context != nil else { return nil }
        while true {
            interrupt.arm(seconds: readTimeout)
            let result = av_read_frame(context, packet)
            if result == SIARAN_AVERROR_EOF { return nil }
            if result < 0 { throw LibavError(code: result, function: "av_read_frame") }
            if let index = streamByInputIndex[Int(packet.pointee.stream_index)] { return index }
            av_packet_unref(packet)
        }
    }

    /// Whether a read error means the source stalled (no data within the read timeout) rather than failed.
    func stalled(_ error: LibavError) -> Bool { error.isInterrupted && !interrupt.isStopped && !interrupt.playlistStartedOver }

    /// Whether the last read was ended because the live playlist started over (a restarted encoder).
    public var playlistStartedOver: Bool { interrupt.playlistStartedOver }

    /// AVERROR_PROTOCOL_NOT_FOUND, FFERRTAG(0xF8, 'P', 'R', 'O').
    static let protocolNotFound = -Int32(0xF8 | 0x50 << 8 | 0x52 << 16 | 0x4F << 24)

    static func openFailureReason(_ code: Int32, url: String, interrupt: InterruptControl, timeout: Double?, listen: Bool = false) -> String {
        if code == SIARAN_AVERROR_EXIT {
            if interrupt.isStopped { return "stopped" }
            if let timeout { return "no answer within \(Int(timeout)) s" }
        }
        let message = Redaction.redactText(LibavError.describe(code))
        if code == siaran_averror(ECONNREFUSED) { return "connection refused (is the stream live yet? --wait waits for it)" }
        // libsrt reports every failed handshake as an I/O error.
        if url.hasPrefix("srt:"), code == siaran_averror(EIO) {
            return "no SRT answer (nothing listening there yet, or the passphrase or streamid does not match; --wait waits for it)"
        }
        // libav's RTSP listener fails so when a client's first request is not OPTIONS or ANNOUNCE
        // (rtspdec.c, parse_command_line): the client's fault, not the listened address's.
        if listen, url.hasPrefix("rtsp"), code == protocolNotFound {
            return "the pushing encoder sent RTSP requests out of order (a push must begin with OPTIONS or ANNOUNCE)"
        }
        if code == SIARAN_AVERROR_INVALIDDATA { return "not a media stream libav can read (\(message))" }
        return message
    }
}
