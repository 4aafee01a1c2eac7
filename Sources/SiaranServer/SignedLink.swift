import Crypto
import Foundation

/// A short-lived link to one session of an office's player, signed by the national server with that
/// office's secret (`LinkSecrets`), so that a viewer of the national search plays a hit without a
/// second sign-in: the pattern of nginx's `secure_link` and CloudFront's signed URLs. The signature is
/// HMAC-SHA256 over the office, the session, the viewer and the expiry; the office's server accepts
/// the link for that session only, until it expires.
struct SignedLink: Sendable, Equatable {
    var office: String
    var session: String
    /// Who the national server let in (its user's name and office), for the office's log.
    var viewer: String
    /// Seconds since 1970.
    var expires: Int

    /// How long a link stays good: long enough to click, short enough that a copied link soon dies.
    static let lifetime: TimeInterval = 10 * 60
    /// The query parameters a signed link adds (besides `t`, the moment, which it does not sign).
    static let parameters = ["office", "viewer", "expires", "signature"]

    func signature(secret: String) -> String {
        let message = ["siaran-link-1", office, session, viewer, String(expires)].joined(separator: "\n")
        let code = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// `base` (the office's `siaran serve` address) + the session's page at `seconds`, signed.
    func url(base: String, seconds: Double?, secret: String) -> String {
        var parts = URLComponents()
        parts.queryItems = (seconds.map { [URLQueryItem(name: "t", value: String(Int($0)))] } ?? []) + [
            URLQueryItem(name: "office", value: office), URLQueryItem(name: "viewer", value: viewer),
            URLQueryItem(name: "expires", value: String(expires)), URLQueryItem(name: "signature", value: signature(secret: secret)),
        ]
        let page = SessionRoutes.pagePath(session)
        return base.replacingOccurrences(of: "/+$", with: "", options: .regularExpression) + page + "?" + (parts.percentEncodedQuery ?? "")
    }

    enum Verdict: Equatable { case valid, expired, forged }

    /// Whether `given` is this link's signature with `secret`, and the link still good at `now`.
    /// Compared in constant time; an expiry further away than a link's lifetime is forged.
    func check(_ given: String, secret: String, now: Date = Date()) -> Verdict {
        guard Gate.constantTimeEqual(given, signature(secret: secret)) else { return .forged }
        let left = TimeInterval(expires) - now.timeIntervalSince1970
        if left <= 0 { return .expired }
        return left <= Self.lifetime + 60 ? .valid : .forged
    }
}
