import Foundation
import Synchronization

/// Slows down password guessing: after `allowed` failed sign-ins for one name (or four times as many
/// from one address: an office behind one NAT shares it) within `window`, further tries are refused
/// until the window has passed.
public final class SignInThrottle: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let allowed: Int
    let window: TimeInterval

    public init(allowed: Int = 5, window: TimeInterval = 300) {
        self.allowed = allowed
        self.window = window
    }

    /// Seconds to wait before `keys` may try again, or nil when they may try now.
    func wait(for keys: [String], now: Date = Date()) -> Int? {
        failures.withLock { all in
            var longest: TimeInterval = 0
            for key in keys {
                let recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
                all[key] = recent.isEmpty ? nil : recent
                let limit = key.hasPrefix("address:") ? allowed * 4 : allowed
                if recent.count >= limit, let oldest = recent.suffix(limit).first {
                    longest = max(longest, window - now.timeIntervalSince(oldest))
                }
            }
            return longest > 0 ? Int(longest.rounded(.up)) : nil
        }
    }

    func failed(_ keys: [String], now: Date = Date()) {
        failures.withLock { all in
            for key in keys { all[key, default: []].append(now) }
        }
    }

    func succeeded(_ keys: [String]) {
        failures.withLock { all in for key in keys { all[key] = nil } }
    }
}
