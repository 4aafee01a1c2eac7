import Foundation
import SiaranAccounts
import Synchronization

/// The server's signed-in users, by the random token in their cookie. Kept in memory: a restart
/// signs everyone out, and no token is ever written to disk.
public final class SignInStore: Sendable {
    struct SignIn: Sendable {
        var name: String
        var role: Role
        var csrfToken: String
        var signedInAt: Date
        var lastSeen: Date
    }

    private let signIns = Mutex<[String: SignIn]>([:])
    let idleLimit: TimeInterval

    public init(idleLimit: TimeInterval) { self.idleLimit = idleLimit }

    /// Signs `account` in; returns the cookie token.
    func open(_ account: UserAccount, now: Date = Date()) -> String {
        let token = Self.randomToken()
        let entry = SignIn(name: account.name, role: account.role, csrfToken: Self.randomToken(), signedInAt: now, lastSeen: now)
        signIns.withLock { all in
            all = all.filter { now.timeIntervalSince($0.value.lastSeen) < idleLimit }
            all[token] = entry
        }
        return token
    }

    /// The visitor a token belongs to, or nil when it is unknown or expired; refreshes its time.
    func visitor(token: String, now: Date = Date()) -> Visitor? { signIn(token: token, now: now)?.visitor }

    /// The visitor a token belongs to and when they signed in (`refresh`: this counts as use).
    func signIn(token: String, refresh: Bool = true, now: Date = Date()) -> (visitor: Visitor, since: Date)? {
        signIns.withLock { all in
            guard var entry = all[token] else { return nil }
            if now.timeIntervalSince(entry.lastSeen) >= idleLimit {
                all[token] = nil
                return nil
            }
            if refresh { entry.lastSeen = now }
            all[token] = entry
            return (Visitor(name: entry.name, role: entry.role, csrfToken: entry.csrfToken), entry.signedInAt)
        }
    }

    func close(token: String) {
        _ = signIns.withLock { $0.removeValue(forKey: token) }
    }

    /// Whether `text` has the shape of a token (64 hexadecimal digits).
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// 32 random bytes, hex: the system's cryptographic generator.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
