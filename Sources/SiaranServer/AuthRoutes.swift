import Foundation
import HTTPTypes
import Hummingbird
import SiaranAccounts

/// Signing in and out, and who the visitor is (`/api/me`, with the CSRF token writes must carry).
struct AuthRoutes {
    let users: UserFile
    let signIns: SignInStore
    let throttle: SignInThrottle
    let gate: Gate
    let secureCookies: Bool

    struct Credentials: Decodable {
        var name: String
        var password: String
        var next: String?
    }

    struct Me: Encodable {
        var name: String?
        var role: String?
        var csrfToken: String?
        var publicViewing: Bool
    }

    func add(to router: Router<SiaranContext>) {
        router.get("/api/me") { _, context in
            try Reply.json(Me(name: context.visitor.name, role: context.visitor.role?.rawValue,
                              csrfToken: context.visitor.csrfToken, publicViewing: gate.publicViewing))
        }
        router.post("/api/login") { request, context in
            let credentials = try await request.decodeBody(Credentials.self)
            let (account, token) = try await signIn(credentials, request: request, context: context)
            var response = try Reply.json(Me(name: account.name, role: account.role.rawValue,
                                             csrfToken: signIns.visitor(token: token)?.csrfToken, publicViewing: gate.publicViewing))
            response.setCookie(cookie(token))
            return response
        }
        router.post("/api/logout") { request, context in
            try gate.requireWrite(.viewer, request, context)
            if let token = context.signInToken { signIns.close(token: token) }
            var response = try Reply.json(["signedOut": true])
            response.setCookie(expired())
            return response
        }
        // The page's form: same checks, answered with a redirect (back to the form with the reason).
        router.post("/login") { request, context in
            let credentials = try await request.decodeBody(Credentials.self)
            let next = Self.safeNext(credentials.next)
            do {
                let (_, token) = try await signIn(credentials, request: request, context: context)
                var response = Reply.redirect(to: next)
                response.setCookie(cookie(token))
                return response
            } catch let error as APIError {
                let reason = error.message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return Reply.redirect(to: "/login?failed=\(reason)&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
            }
        }
        router.post("/logout") { request, context in
            struct Form: Decodable { var csrf: String? }
            let form = try await request.decodeBody(Form.self)
            try gate.requireWrite(.viewer, request, context, formToken: form.csrf)
            if let token = context.signInToken { signIns.close(token: token) }
            var response = Reply.redirect(to: "/login")
            response.setCookie(expired())
            return response
        }
    }

    private func signIn(_ credentials: Credentials, request: Request, context: SiaranContext) async throws -> (UserAccount, String) {
        let keys = ["name:" + credentials.name.lowercased(), "address:" + Self.address(of: context)]
        if let wait = throttle.wait(for: keys) {
            var error = APIError(.tooManyRequests, "too many failed sign-ins; try again in \(wait) s")
            error.headers[.retryAfter] = String(wait)
            throw error
        }
        let account: UserAccount?
        do {
            // bcrypt takes a tenth of a second or more: off the event loop.
            account = try await Task.detached { try users.verify(name: credentials.name, password: credentials.password) }.value
        } catch let error as AccountError {
            throw APIError(.internalServerError, error.description)
        }
        guard let account else {
            throttle.failed(keys)
            throw APIError(.unauthorized, "wrong name or password")
        }
        throttle.succeeded(keys)
        return (account, signIns.open(account))
    }

    private func cookie(_ token: String) -> Cookie {
        Cookie(name: signInCookieName, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    private func expired() -> Cookie {
        Cookie(name: signInCookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Only a path on this server (never `//elsewhere` or `https://…`) may follow a sign-in.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("\r"), !next.contains("\n") else { return "/" }
        return next
    }

    static func address(of context: SiaranContext) -> String {
        context.peerAddress ?? "unknown"
    }
}
