import ArgumentParser
import Foundation
import SiaranArchive

/// What `siaran serve` was asked for, handed to the server that `siaran-serve` plugs in.
public struct ServeRequest: Sendable {
    public var archive: Archive
    public var host: String
    public var port: Int
    public var publicViewing: Bool
    public var secureCookies: Bool
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [String] = []
    /// The office's time zone (`--timezone`, else `$SIARAN_TIMEZONE`, else the machine's).
    public var timeZone: TimeZone = .current
}

public struct Serve: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Serve the web companion: browse and play sessions, search to the moment, tag live from a phone.",
        discussion: """
        Listens on 127.0.0.1:8080 (this machine only) unless --listen says otherwise. People sign in with the \
        accounts `siaran user add` makes (roles viewer, tagger, admin); --public lets anyone view without \
        signing in (tagging still needs an account). Beyond this machine, put it behind a reverse proxy that \
        terminates TLS and pass --secure-cookies.
        """
    )

    @Option(help: ArgumentHelp("Where to listen: HOST, HOST:PORT or :PORT (default 127.0.0.1:8080). 0.0.0.0 listens on every network.",
                               valueName: "address"))
    var listen: String?
    @Option(help: "The port (default 8080; 0 picks a free one).") var port: Int?
    @Flag(name: .customLong("public"), help: "Anyone may view (browse, play, search) without signing in.") var publicViewing = false
    @Flag(help: "Send the sign-in cookie over HTTPS only (behind a TLS-terminating proxy).") var secureCookies = false
    @Option(name: .customLong("trusted-proxy"),
            help: ArgumentHelp("The address of a reverse proxy in front of the server (repeatable): from it, X-Forwarded-For names the client (sign-in throttling and media limits go by that address).",
                               valueName: "address"))
    var trustedProxies: [String] = []
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var catalog: CatalogOptions
    @Option(help: ArgumentHelp("The office's time zone the pages show times in, an IANA name such as Asia/Makassar (default: $SIARAN_TIMEZONE, else this machine's).",
                               valueName: "zone"))
    var timezone: String?

    public func validate() throws {
        _ = try address()
        _ = try zone()
        for proxy in trustedProxies where !Self.isIPAddress(proxy) {
            throw ValidationError("--trusted-proxy \(proxy): give the proxy's IP address as the server sees it (e.g. 127.0.0.1), not a name")
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// The office's time zone, checked (an unknown name is refused, not silently UTC).
    func zone() throws -> TimeZone {
        var office = OfficeOptions()
        office.timezone = timezone
        return try office.time().zone
    }

    /// The host and port to listen on.
    func address() throws -> (host: String, port: Int) {
        var host = "127.0.0.1", chosenPort = 8080
        if let listen {
            // HOST:PORT, :PORT, [IPv6]:PORT, or a bare host (an IPv6 address without brackets has several colons).
            let splits = listen.hasPrefix("[") ? listen.contains("]:") : listen.filter { $0 == ":" }.count == 1
            if splits, let colon = listen.lastIndex(of: ":") {
                let portText = listen[listen.index(after: colon)...]
                guard let number = Int(portText) else { throw ValidationError("--listen \(listen): '\(portText)' is not a port number") }
                chosenPort = number
                let hostText = String(listen[..<colon])
                if !hostText.isEmpty { host = hostText }
            } else {
                host = listen
            }
        }
        if let port { chosenPort = port }
        guard (0...65535).contains(chosenPort) else { throw ValidationError("the port must be between 0 and 65535, not \(chosenPort)") }
        host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw ValidationError("--listen needs a host (127.0.0.1, 0.0.0.0, or this machine's address)") }
        return (host, chosenPort)
    }

    /// Replaces this process with `siaran serve` over `archive` on 127.0.0.1:`port` (the demo's last step).
    /// Throws when 127.0.0.1:`port` is taken, naming the port and `option` (the demo checks before it records).
    public static func ensurePortFree(_ port: Int, option: String = "--port") throws {
        try ListenCheck.ensureFree(host: "127.0.0.1", port: port, option: option)
    }

    public static func serveInstead(archive: String, port: Int, publicViewing: Bool) throws -> Never {
        var arguments = ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"]
        if publicViewing { arguments.append("--public") }
        fflush(nil)
        try SiblingExecutable.server.exec(arguments: arguments)
    }

    public func run() throws {
        guard let server = CommandEnvironment.webServer else { try SiblingExecutable.server.exec(arguments: Array(CommandLine.arguments.dropFirst())) }
        try catalog.select(archive: archive.open())
        let (host, port) = try address()
        // Before anything is printed: a taken port is one clear error, not a URL that answers someone else.
        try ListenCheck.ensureFree(host: host, port: port)
        try server(ServeRequest(archive: archive.open(), host: host, port: port, publicViewing: publicViewing, secureCookies: secureCookies,
                                trustedProxies: trustedProxies, timeZone: try zone()))
    }
}
