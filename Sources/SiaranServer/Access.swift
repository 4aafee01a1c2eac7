import Foundation
import HTTPTypes
import Hummingbird
import SiaranAccounts

/// The sign-in cookie's name; its value is a random token the server keeps in memory.
let signInCookieName = "siaran_signin"
/// The language chosen on this browser before signing in (a signed-in user's choice is kept with their account).
let languageCookieName = "siaran_lang"

/// Finds the visitor of every request from its sign-in cookie, and sets the headers every answer carries.
struct VisitorMiddleware: RouterMiddleware {
    typealias Context = SiaranContext
    let checks: SignInCheck
    let addresses: ClientAddress

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = addresses.of(request, peer: context.peerAddress)
        context.visitor.language = request.cookies[languageCookieName].flatMap { Language(rawValue: $0.value) }
            ?? Language.preferred(by: request.headers[.acceptLanguage])
        if let token = request.cookies[signInCookieName]?.value, let (visitor, account) = checks.signedIn(token: token) {
            let browsers = context.visitor.language
            context.visitor = visitor
            context.visitor.language = browsers
            if let chosen = account.language.flatMap(Language.init(rawValue:)) { context.visitor.language = chosen }
            context.signInToken = token
        }
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.xFrameOptions] == nil { response.headers[.xFrameOptions] = "DENY" }
        return response
    }
}

/// A session's pages ask for a sign-in before they look for the session: an anonymous visitor is sent
/// to sign in alike for a session that exists and one that does not, so ids cannot be probed. The
/// schedule page, which names accounts, needs a sign-in even with `--public`.
struct SignInFirstMiddleware: RouterMiddleware {
    typealias Context = SiaranContext
    let gate: Gate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if request.method == .get || request.method == .head, path.hasPrefix("/sessions/") || path == "/schedule" || path == "/alerts", context.visitor.role == nil {
            // The live console and the schedule need an account even with --public.
            if path.hasSuffix("/live") || path == "/schedule" || path == "/alerts" || !gate.publicViewing {
                let next = (path + (request.uri.query.map { "?" + $0 } ?? "")).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return Reply.redirect(to: "/login?next=\(next)")
            }
        }
        return try await next(request, context)
    }
}

/// Whether a sign-in still holds: asked on every request, and again before every event of a live-update stream.
struct SignInCheck: Sendable {
    let signIns: SignInStore
    let accounts: AccountCache

    /// The signed-in visitor of `token` and their account, or nil (then the sign-in is closed). A removed user, or one whose
    /// password changed since, is signed out; a new role applies at once. `refresh` counts as use.
    func signedIn(token: String, refresh: Bool = true) -> (visitor: Visitor, account: UserAccount)? {
        guard let (visitor, since) = signIns.signIn(token: token, refresh: refresh) else { return nil }
        guard let name = visitor.name, let account = accounts.account(name), account.passwordChangedAt <= since else {
            signIns.close(token: token)
            return nil
        }
        var current = visitor
        current.role = account.role
        current.office = account.office
        return (current, account)
    }
}

/// The checks routes make before they act.
struct Gate: Sendable {
    let publicViewing: Bool

    /// Throws unless the visitor has `role` (viewing is open to anyone with `--public`).
    func require(_ role: Role, _ context: SiaranContext) throws {
        if role == .viewer && publicViewing { return }
        guard let has = context.visitor.role else { throw APIError.notSignedIn() }
        guard has.allows(role) else { throw APIError.forbidden(role.rawValue) }
    }

    /// Throws unless the visitor is signed in with `role`, even with `--public` (what names accounts).
    func requireAccount(_ role: Role, _ context: SiaranContext) throws {
        guard let has = context.visitor.role else { throw APIError.notSignedIn() }
        guard has.allows(role) else { throw APIError.forbidden(role.rawValue) }
    }

    /// Throws unless a write carries the visitor's CSRF token, as the header or the form field.
    func requireWrite(_ role: Role, _ request: Request, _ context: SiaranContext, formToken: String? = nil) throws {
        try require(role, context)
        guard let expected = context.visitor.csrfToken else { throw APIError.notSignedIn() }
        let given = request.headers[.csrfToken] ?? formToken
        guard let given, Self.constantTimeEqual(given, expected) else { throw APIError.badCSRF() }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
