import Foundation
import Hummingbird
import Logging
import Synchronization

/// The cookie a valid signed link leaves: it lets the browser into that one session until the link's expiry.
let linkCookieName = "siaran_link"

/// Sessions opened by signed links (`SignedLink`), by the random token of their cookie. In memory,
/// as sign-ins are; each ends at its link's expiry.
final class LinkGrants: Sendable {
    struct Grant: Sendable {
        var session: String
        var viewer: String
        var until: Date
    }

    private let grants = Mutex<[String: Grant]>([:])

    func open(_ grant: Grant) -> String {
        let token = SignInStore.randomToken()
        grants.withLock { all in
            let now = Date()
            all = all.filter { $0.value.until > now }
            all[token] = grant
        }
        return token
    }

    func grant(token: String, now: Date = Date()) -> Grant? {
        grants.withLock { all in
            guard let grant = all[token] else { return nil }
            if grant.until <= now { all[token] = nil; return nil }
            return grant
        }
    }
}

/// An office's server lets in a viewer who comes with a link the national server signed with this
/// office's secret: for that session only (its page, its API, its media), until the link expires. A
/// link whose signature, office or session does not match, or that has expired, is refused with a
/// page that says so; a visitor with a link is never more than a viewer of that session.
struct SignedLinkMiddleware: RouterMiddleware {
    typealias Context = SiaranContext
    /// This server's office and its secret; without both, no link is accepted.
    let office: String?
    let secret: String?
    let grants: LinkGrants
    let secureCookies: Bool
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let query = request.form
        if let given = query["signature"], path.hasPrefix("/sessions/"), let id = OfficeViewMiddleware.sessionID(in: path) {
            return try open(String(given), session: id, query, context)
        }
        guard context.visitor.role == nil, let token = request.cookies[linkCookieName]?.value, let grant = grants.grant(token: token) else {
            return try await next(request, context)
        }
        let about = OfficeViewMiddleware.sessionID(in: path) ?? (path == "/api/search" ? query["session"].map(String.init) : nil)
        guard about == grant.session else { return try await next(request, context) }
        var context = context
        context.visitor.role = .viewer
        return try await next(request, context)
    }

    private func open(_ given: String, session: String, _ query: FormQuery, _ context: Context) throws -> Response {
        guard let office, let secret else { throw APIError(.forbidden, key: "error.link.notHere") }
        guard let linkOffice = query["office"], let viewer = query["viewer"], let expires = query["expires"].flatMap({ Int($0) }) else {
            throw APIError(.forbidden, key: "error.link.forged")
        }
        let link = SignedLink(office: String(linkOffice), session: session, viewer: String(viewer), expires: expires)
        guard link.office == office else { throw APIError(.forbidden, key: "error.link.forged") }
        switch link.check(given, secret: secret) {
        case .forged:
            logger.notice("refused a signed link that does not match", metadata: ["session": "\(session)", "client": "\(context.clientAddress)"])
            throw APIError(.forbidden, key: "error.link.forged")
        case .expired:
            throw APIError(.forbidden, key: "error.link.expired")
        case .valid:
            let until = Date(timeIntervalSince1970: TimeInterval(expires))
            let token = grants.open(.init(session: session, viewer: link.viewer, until: until))
            logger.info("opened by a signed link", metadata: ["session": "\(session)", "viewer": "\(link.viewer)"])
            let page = SessionRoutes.pagePath(session)
            var response = Reply.redirect(to: page + (query["t"].flatMap { Int($0) }.map { "?t=\($0)" } ?? ""))
            response.setCookie(Cookie(name: linkCookieName, value: token, expires: until, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
    }
}
