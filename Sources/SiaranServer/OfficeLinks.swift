import Foundation
import NIOCore
import NIOPosix
import SiaranAccounts
import SiaranSearch

/// Whether offices' servers answer: a TCP connection to the address they serve from, with a short
/// timeout, remembered for a while, so that a search shows an office that is offline as such without
/// waiting on it each time.
actor OfficeProbe {
    private var known: [String: (up: Bool, at: Date)] = [:]
    /// How many times an office's server was actually probed (the rest were remembered).
    private(set) var probes = 0
    static let timeout: TimeAmount = .milliseconds(800)
    /// The most a probe may take, name resolution included (a busy resolver must not hold a search).
    static let deadline: Duration = .milliseconds(1500)
    /// How long an answer is trusted.
    static let remember: TimeInterval = 30

    func answers(_ url: String) async -> Bool {
        if let seen = known[url], Date().timeIntervalSince(seen.at) < Self.remember { return seen.up }
        probes += 1
        let up = await withTaskGroup(of: Bool.self) { group in
            group.addTask { await Self.connects(url) }
            group.addTask { try? await Task.sleep(for: Self.deadline); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        known[url] = (up, Date())
        return up
    }

    static func connects(_ url: String) async -> Bool {
        guard let parts = URLComponents(string: url), let host = parts.host, ["http", "https"].contains(parts.scheme ?? "") else { return false }
        let port = parts.port ?? (parts.scheme == "https" ? 443 : 80)
        do {
            let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(timeout)
            // An address given as digits needs no resolver.
            let literal = try? SocketAddress(ipAddress: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
            let channel = try await (literal.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: host, port: port)).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}

/// Links from a search's hits to the players of the offices that recorded them: for each hit of
/// another office, a link signed for the viewer with that office's secret, or "offline" when its
/// server does not answer (the snippet stays, from the catalog).
struct OfficeLinks: Sendable {
    let serverOffice: String?
    let secrets: LinkSecrets
    let probe: OfficeProbe

    func decorate(_ result: SearchResult, viewer: String, now: Date = Date()) async -> SearchResult {
        guard let serverOffice else { return result }
        var addresses: [String: String] = [:]
        for item in result.hits.map({ ($0.office, $0.playFrom) }) + result.sessions.map({ ($0.office, $0.playFrom) }) {
            if let office = item.0, office != serverOffice, let url = item.1, url.hasPrefix("http://") || url.hasPrefix("https://") { addresses[office] = url }
        }
        var up: [String: Bool] = [:]
        await withTaskGroup(of: (String, Bool).self) { group in
            for (office, url) in addresses { group.addTask { (office, await probe.answers(url)) } }
            for await (office, answers) in group { up[office] = answers }
        }
        let expires = Int(now.timeIntervalSince1970 + SignedLink.lifetime)
        func link(office: String?, session: String, seconds: Double?) -> (link: String?, offline: Bool?) {
            guard let office, let url = addresses[office] else { return (nil, nil) }
            guard up[office] == true else { return (nil, true) }
            guard let secret = secrets.offices[office] else { return (nil, nil) }
            return (SignedLink(office: office, session: session, viewer: viewer, expires: expires).url(base: url, seconds: seconds, secret: secret), nil)
        }
        var result = result
        for i in result.hits.indices {
            (result.hits[i].link, result.hits[i].officeOffline) = link(office: result.hits[i].office, session: result.hits[i].session, seconds: result.hits[i].seconds)
        }
        for i in result.sessions.indices {
            (result.sessions[i].link, result.sessions[i].officeOffline) = link(office: result.sessions[i].office, session: result.sessions[i].session, seconds: nil)
        }
        return result
    }
}
