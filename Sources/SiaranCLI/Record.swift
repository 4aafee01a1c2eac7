import ArgumentParser
import Foundation
import SiaranCore

public struct Record: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Record a live stream (HLS, RTMP, RTSP, SRT, UDP/TCP/HTTP MPEG-TS) into a new session.",
        discussion: """
        Segments are remuxed (never re-encoded) into <archive>/<id>/media with an HLS playlist. \
        When the source drops, Siaran reconnects and records the gap in the same session. \
        Ctrl-C finishes the current segment and closes the session; a second Ctrl-C stops at once.
        """
    )

    @Argument(help: "The stream URL. With --listen, the address to listen on (e.g. rtmp://0.0.0.0:1935/live/KEY). env:NAME reads it from the environment variable NAME, which keeps a stream key off the command line (where `ps` shows it to every user).")
    public var url: String

    /// The URL to record: the argument, or the environment variable `env:NAME` names.
    public var sourceURL: String {
        get throws {
            guard url.hasPrefix("env:") else { return url }
            let name = String(url.dropFirst(4))
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw ValidationError("the environment variable \(name) (named by '\(url)') is not set; set it to the stream URL")
            }
            return value
        }
    }

    @OptionGroup public var segments: SegmentOptions
    @OptionGroup public var archive: ArchiveOptions

    @Option(help: "Wait this long for a stream that is not live yet (e.g. 90s, 10m, 1h).", transform: Duration.parse)
    public var wait: Double?

    @Option(name: .customLong("stop-after"), help: "Stop after recording this long (e.g. 2h).", transform: Duration.parse)
    public var stopAfter: Double?

    @Flag(help: "Listen for a pushed stream (RTMP push from a webinar platform, SRT or TCP listener).")
    public var listen = false

    @Option(name: .customLong("give-up-after"), help: "Stop reconnecting after this long without media.", transform: Duration.parse)
    public var giveUpAfter: Double = 600

    @Option(name: .customLong("on-disk-full"), help: "stop: close the session (default); wait: pause until space is free, then resume.")
    public var onDiskFull: DiskFullPolicy = .stop

    public enum DiskFullPolicy: String, ExpressibleByArgument { case stop, wait }

    @Option(help: "Which variant of a stream offered in several qualities (an HLS master playlist): best, worst, or a height such as 720p.",
            transform: QualityArgument.parse)
    public var quality: QualityChoice = .best

    @Option(name: .customLong("stall-timeout"), help: "A source silent this long counts as dropped.", transform: Duration.parse)
    public var stallTimeout: Double = 10

    @Option(name: .customLong("header"), help: "An HTTP header to send (\"Name: value\"; repeatable), for sources that need a referer, a cookie or a token.")
    public var headers: [String] = []

    @Option(name: .customLong("user-agent"), help: "The HTTP User-Agent to send.")
    public var userAgent: String?

    @Flag(help: "Transcribe the speech while recording (offline, at low priority; searchable during the briefing).")
    public var transcribe = false

    public func validate() throws {
        if let bad = headers.first(where: { !$0.contains(":") || $0.hasPrefix(":") || $0.contains("\n") || $0.contains("\r") }) {
            throw ValidationError("--header needs \"Name: value\" on one line (got '\(bad.prefix { $0 != ":" })…')")
        }
        let url = try sourceURL
        guard url.contains("://") || url == "-" || url.hasPrefix("pipe:") else {
            throw ValidationError("'\(Redaction.redact(url))' is not a stream URL (expected e.g. https://…/live.m3u8, rtmp://…, srt://…, udp://…, or - for standard input); to record a file use `siaran import`")
        }
    }

    public func run() throws { try handOffToMedia() }
}

/// `--quality` as typed.
enum QualityArgument {
    static func parse(_ text: String) throws -> QualityChoice {
        guard let choice = QualityChoice(text) else { throw ValidationError("'\(text)' is not a quality (use best, worst, or a height such as 720p)") }
        return choice
    }
}
