import Foundation
import Synchronization

/// Slows down password guessing without locking real users out (OWASP's credential-stuffing advice):
/// each sign-in is counted against its client (a name from one address, or from one device that
/// signed in as that name before) and, for clients the server does not know, against the name and
/// the address as a whole. Past `freeTries` failures a key waits `firstDelay` seconds, doubling with
/// each further failure up to `maxDelay`; a key is forgotten after `forgetAfter` quiet seconds.
/// A client that signed in as the name before (a device cookie, or the name from the same address) is
/// held only to its own key, so guesses from elsewhere never keep it out.
///
/// Checking and counting are one step (`begin`): the attempt is counted before the password is checked,
/// so guesses sent all at once cannot slip past the count while bcrypt runs.
public final class SignInThrottle: Sendable {
    struct Failures: Sendable {
        var count: Int
        var last: Date
    }

    /// What the throttle keeps: failures per key, and the clients that signed in as a name before.
    private struct State: Sendable {
        var failures: [String: Failures] = [:]
        var known = KnownClients()
    }

    private let state = Mutex(State())
    let freeTries: Int
    let firstDelay: TimeInterval
    let maxDelay: TimeInterval
    let forgetAfter: TimeInterval

    public init(freeTries: Int = 5, firstDelay: TimeInterval = 1, maxDelay: TimeInterval = 900, forgetAfter: TimeInterval = 3600) {
        self.freeTries = freeTries
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.forgetAfter = forgetAfter
    }

    /// One sign-in: who tries (`name`), from where (`address`), with which device cookie (if any).
    struct Attempt: Sendable {
        var name: String
        var address: String
        var device: String?
    }

    /// An attempt let through and already counted as a failure; `succeeded` takes the count back.
    struct Ticket: Sendable {
        var keys: [String]
    }

    /// Counts the attempt and lets it through, or answers the seconds to wait (nothing is counted then).
    func begin(_ attempt: Attempt, now: Date = Date()) -> Result<Ticket, Wait> {
        state.withLock { state in
            let name = attempt.name.lowercased()
            let knownDevice = attempt.device.map { state.known.isKnown(device: $0, name: name) } ?? false
            var keys: [String]
            if knownDevice, let device = attempt.device {
                keys = ["device:\(device)|\(name)"]
            } else {
                keys = ["client:\(attempt.address)|\(name)"]
                // Unknown clients are held to the name's and the address's counts too (a name guessed from
                // many addresses, or many names guessed from one).
                if !state.known.isKnown(address: attempt.address, name: name) {
                    keys += ["name:\(name)", "address:\(attempt.address)"]
                }
            }
            let wait = keys.compactMap { self.wait(for: $0, limit: self.limit(of: $0), in: &state.failures, now: now) }.max()
            if let wait { return .failure(Wait(seconds: Int(wait.rounded(.up)))) }
            for key in keys {
                state.failures[key, default: Failures(count: 0, last: now)].count += 1
                state.failures[key]?.last = now
            }
            if state.failures.count > 100_000 { state.failures = state.failures.filter { now.timeIntervalSince($0.value.last) < forgetAfter } }
            return .success(Ticket(keys: keys))
        }
    }

    /// The attempt's password was right: its count is taken back, its client's failures cleared, and the
    /// client remembered as one that may sign in as this name (`device` is the cookie it is given).
    func succeeded(_ ticket: Ticket, _ attempt: Attempt, device: String) {
        state.withLock { state in
            let name = attempt.name.lowercased()
            for key in ticket.keys {
                if key.hasPrefix("client:") || key.hasPrefix("device:") {
                    state.failures[key] = nil
                } else if let failures = state.failures[key] {
                    state.failures[key] = failures.count > 1 ? Failures(count: failures.count - 1, last: failures.last) : nil
                }
            }
            state.known.remember(address: attempt.address, device: device, name: name)
        }
    }

    /// Whether `device` (a device cookie) signed in as `name` before.
    func isKnown(device: String, name: String) -> Bool {
        state.withLock { $0.known.isKnown(device: device, name: name.lowercased()) }
    }

    private func limit(of key: String) -> Int {
        key.hasPrefix("address:") ? freeTries * 4 : key.hasPrefix("name:") ? freeTries * 2 : freeTries
    }

    /// Seconds `key` must still wait, or nil; forgets it when it has been quiet long enough.
    private func wait(for key: String, limit: Int, in failures: inout [String: Failures], now: Date) -> TimeInterval? {
        guard let entry = failures[key] else { return nil }
        let quiet = now.timeIntervalSince(entry.last)
        if quiet >= forgetAfter {
            failures[key] = nil
            return nil
        }
        guard entry.count >= limit else { return nil }
        let delay = min(firstDelay * pow(2, Double(min(entry.count - limit, 40))), maxDelay)
        return quiet < delay ? delay - quiet : nil
    }

    /// How long to wait before trying again.
    struct Wait: Error, Sendable {
        var seconds: Int
    }
}
