import Foundation
import SiaranArchive
import SiaranSearch

/// Everything `siaran serve` was told: where the archive is, where to listen, who may come in.
public struct ServerConfiguration: Sendable {
    public var archive: Archive
    /// Host to listen on; loopback unless `--listen` says otherwise.
    public var host: String
    public var port: Int
    /// Anonymous visitors may view (browse, play, search) without signing in.
    public var publicViewing: Bool
    /// The engine of the search catalog (SQLite for one office, PostgreSQL for a shared archive).
    public var searchEngine: any SearchIndexEngine
    /// With a shared catalog: the archive's own, which answers while the shared one is out of reach.
    public var ownCatalogEngine: (any SearchIndexEngine)?
    /// `siaran-media`, run as a child process for thumbnails, clips and playback remuxing.
    public var mediaExecutable: String?
    /// How long a sign-in lasts without use.
    public var signInIdleLimit: TimeInterval = 12 * 3600
    /// Cookies only over HTTPS (behind a TLS-terminating reverse proxy).
    public var secureCookies = false
    /// The office's time zone: pages show times in it (WIB, WITA, WIT), and read the schedule form's
    /// times in it. `--timezone`, `$SIARAN_TIMEZONE`, else the machine's.
    public var timeZone: TimeZone = ProcessInfo.processInfo.environment["SIARAN_TIMEZONE"].flatMap(TimeZone.init(identifier:)) ?? .current
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); from any other
    /// peer the header is ignored.
    public var trustedProxies: [String] = []
    /// How many media children visitors may start, and how long a stalled one may stay.
    public var mediaLimits = MediaLimits()
    /// Seconds a connection may stay silent, or take to send its request's head, before it is closed.
    public var idleTimeout: TimeInterval = 20
    /// Seconds a request may take from its head to the end of its body before the connection is closed.
    public var requestReadTimeout: TimeInterval = 60
    /// The Python interpreters the Word (DOCX) export tries for python-docx; nil: `SIARAN_PYTHON`, else
    /// Debian's `/usr/bin/python3`, then any `python3` on the PATH.
    public var pythonInterpreters: [String]?

    public init(archive: Archive, host: String = "127.0.0.1", port: Int = 8080, publicViewing: Bool = false,
                searchEngine: any SearchIndexEngine, mediaExecutable: String? = nil) {
        self.archive = archive
        self.host = host
        self.port = port
        self.publicViewing = publicViewing
        self.searchEngine = searchEngine
        self.mediaExecutable = mediaExecutable
    }

    /// The office this server is (its shared catalog's `--office`); nil without a shared catalog.
    public var office: String? { (searchEngine as? any SharedCatalogEngine)?.office }

    /// Whether the server can be reached only from this machine.
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }
}
