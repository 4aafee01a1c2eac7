import Foundation
import Hummingbird
import SiaranSearch

/// What a signed-in user of another office may see on a server with a shared catalog. The server is
/// one office (its `--office`); its own users (and users with no office) see what its catalog role
/// sees — everything, for a national server whose role sees all. A user of another office sees what
/// that office may see: the catalog's row-level security decides, with the office named for each
/// transaction, for every search, suggestion, name and count, and for this archive's own sessions.
struct OfficeView: Sendable {
    /// The server's office; nil without a shared catalog (then offices do not apply).
    let serverOffice: String?
    let search: SearchService
    /// The catalog's recent answers for media requests (one per server, shared by its routers).
    let recent: RecentlyVisible

    /// The office whose view `context`'s visitor searches with; nil: the server's own view.
    func viewer(_ context: SiaranContext) -> String? {
        guard let serverOffice, let office = context.visitor.office, office != serverOffice else { return nil }
        return office
    }
}

/// Gives a user of another office this archive's sessions that office may see (`visibleSessions`),
/// and answers a request for any other session as for one that does not exist.
struct OfficeViewMiddleware: RouterMiddleware {
    typealias Context = SiaranContext
    let view: OfficeView

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let viewer = view.viewer(context), let serverOffice = view.serverOffice else { return try await next(request, context) }
        let path = request.uri.path
        guard Self.sessionID(in: path) != nil || ["/api/sessions", "/api/updates", "/api/people"].contains(path) else { return try await next(request, context) }
        var context = context
        // A player's segment and playlist requests reuse a recent answer (`RecentlyVisible`); pages ask anew.
        let visible = try await view.recent.visible(to: viewer, including: Self.playerSessionID(in: path)) {
            try await view.search.sessionIDs(of: serverOffice, viewedBy: viewer)
        }
        context.visibleSessions = visible
        if let id = Self.sessionID(in: path), !visible.contains(id) {
            throw APIError(.notFound, key: "error.noSession", ["id": id])
        }
        return try await next(request, context)
    }

    /// The session a player's request is about: its archive files (`/media/ID/…`: playlist, segments)
    /// and its caption playlists and segments (`/api/sessions/ID/master.m3u8`, `subs.m3u8`, `subs/…`).
    static func playerSessionID(in path: String) -> String? {
        guard let id = sessionID(in: path) else { return nil }
        if path.hasPrefix("/media/") { return id }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count > 3, parts[0] == "api", ["master.m3u8", "subs.m3u8", "subs"].contains(parts[3]) else { return nil }
        return id
    }

    /// The session a path is about: `/sessions/ID…`, `/api/sessions/ID…`, `/media/ID/…`.
    static func sessionID(in path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.first {
        case "sessions", "media": return parts.count > 1 ? parts[1].removingPercentEncoding ?? parts[1] : nil
        case "api" where parts.count > 2 && parts[1] == "sessions": return parts[2].removingPercentEncoding ?? parts[2]
        default: return nil
        }
    }
}
