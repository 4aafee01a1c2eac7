import Foundation
import Synchronization

/// How many long-lived answers (live-update streams) each visitor has open, refused past a limit so
/// that one account, or one anonymous address, cannot hold the server's connections and polls.
final class StreamCounter: Sendable {
    private let open = Mutex<[String: Int]>([:])
    let perVisitor: Int

    init(perVisitor: Int) { self.perVisitor = perVisitor }

    /// Counts one more stream for `visitor`, or throws 429 when it has `perVisitor` open already.
    func take(_ visitor: String) throws {
        let taken = open.withLock { open in
            guard open[visitor, default: 0] < perVisitor else { return false }
            open[visitor, default: 0] += 1
            return true
        }
        guard taken else {
            var error = APIError(.tooManyRequests, key: "error.tooManyStreams", ["limit": String(perVisitor)])
            error.headers[.retryAfter] = "10"
            throw error
        }
    }

    func release(_ visitor: String) {
        open.withLock { open in
            let left = open[visitor, default: 1] - 1
            open[visitor] = left > 0 ? left : nil
        }
    }

    /// Streams open now for `visitor`.
    func count(_ visitor: String) -> Int { open.withLock { $0[visitor, default: 0] } }
}

extension SiaranContext {
    /// Whom per-visitor limits count against: the signed-in name, or an anonymous visitor's address.
    var visitorKey: String { visitor.name.map { "user:" + $0 } ?? "address:" + clientAddress }
}
