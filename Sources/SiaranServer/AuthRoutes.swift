import Foundation
import HTTPTypes
import Hummingbird
import SiaranAccounts

/// The cookie that marks a browser as one that signed in before (a random token, see `SignInThrottle`).
let deviceCookieName = "siaran_device"

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
            let (account, token, device) = try await signIn(credentials, request: request, context: context)
            var response = try Reply.json(Me(name: account.name, role: account.role.rawValue,
                                             csrfToken: signIns.visitor(token: token)?.csrfToken, publicViewing: gate.publicViewing))
            response.setCookie(cookie(token))
            response.setCookie(device)
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
                let (_, token, device) = try await signIn(credentials, request: request, context: context)
                var response = Reply.redirect(to: next)
                response.setCookie(cookie(token))
                response.setCookie(device)
                return response
            } catch let error as APIError {
                let reason = error.text(in: context.visitor.language).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
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

    private func signIn(_ credentials: Credentials, request: Request, context: SiaranContext) async throws -> (UserAccount, String, Cookie) {
        let device = request.cookies[deviceCookieName]?.value
        let attempt = SignInThrottle.Attempt(name: credentials.name, address: context.clientAddress,
                                             device: device.flatMap { SignInStore.isToken($0) ? $0 : nil })
        // Counted before the password is checked: guesses sent at once cannot all pass the check.
        let ticket: SignInThrottle.Ticket
        switch throttle.begin(attempt) {
        case let .success(counted): ticket = counted
        case let .failure(wait):
            var error = APIError(.tooManyRequests, key: "error.tooManySignIns", ["seconds": String(wait.seconds)])
            error.headers[.retryAfter] = String(wait.seconds)
            throw error
        }
        let account: UserAccount?
        do {
            // bcrypt takes a tenth of a second or more: off the event loop.
            account = try await Task.detached { try users.verify(name: credentials.name, password: credentials.password) }.value
        } catch let error as AccountError {
            throw APIError(.internalServerError, error.description)
        }
        guard let account else { throw APIError(.unauthorized, key: "error.wrongPassword") }
        // The device keeps its token (one device, several names); a new one gets a new token.
        let token = attempt.device ?? SignInStore.randomToken()
        throttle.succeeded(ticket, attempt, device: token)
        return (account, signIns.open(account), deviceCookie(token))
    }

    /// Marks this browser as one that signed in before: its sign-ins are not held back by guesses from elsewhere.
    private func deviceCookie(_ token: String) -> Cookie {
        Cookie(name: deviceCookieName, value: token, maxAge: 365 * 86400, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    private func cookie(_ token: String) -> Cookie {
        Cookie(name: signInCookieName, value: token, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    private func expired() -> Cookie {
        Cookie(name: signInCookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Only a path on this server (never `//elsewhere` or `https://…`) may follow a sign-in. Browsers
    /// drop tabs and line breaks from a Location (`/\t/evil.example` is `//evil.example`), so a `next`
    /// with any control character, space or backslash is refused whole.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" && !$0.properties.isWhitespace }) else { return "/" }
        return next
    }
}
