import Foundation
import SiaranAccounts
import Synchronization

/// The users file as the server last read it, read again whenever it changes (a `stat` per request),
/// so that `siaran user remove`, `passwd` and `role` take effect on a running server at once.
final class AccountCache: Sendable {
    private struct Seen: Sendable {
        var stamp: String?
        var accounts: [String: UserAccount] = [:]
    }

    let file: UserFile
    private let seen = Mutex(Seen())

    init(file: UserFile) { self.file = file }

    /// The account named `name` as the users file says now, or nil when it is gone.
    func account(_ name: String) -> UserAccount? {
        let stamp = fileStamp(file.path)
        return seen.withLock { seen in
            if seen.stamp != stamp || stamp == nil {
                // An unreadable file signs nobody in (fail closed), until it is readable again.
                let accounts = (try? file.load()) ?? []
                seen.accounts = Dictionary(accounts.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
                seen.stamp = stamp
            }
            return seen.accounts[name]
        }
    }
}
