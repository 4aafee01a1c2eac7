import Foundation
import HTTPTypes

/// How many `siaran-media` children the server runs for visitors, and for how long it waits on them.
public struct MediaLimits: Sendable {
    /// Clip downloads and MP4 playback streams running at once, in all.
    public var streams = 4
    /// Thumbnails being made at once, in all.
    public var thumbnails = 2
    /// Media requests one visitor (a user, or an anonymous address) may have running or waiting.
    public var perVisitor = 2
    /// Requests that may wait for a free place, in all; beyond, 503 at once.
    public var queue = 8
    /// How long a request waits for a place before it is answered 503.
    public var queueWait: TimeInterval = 10
    /// A stream whose reader takes no bytes for this long is ended (its child too).
    public var stallTimeout: TimeInterval = 30
    /// Thumbnails kept in the archive's cache; past it the oldest are removed.
    public var thumbnailCacheFiles = 2000

    public init() {}
}

/// A small pool of places for media children: at most `running` at once, at most `queue` waiting
/// (each at most `queueWait`), at most `perVisitor` running or waiting for one visitor. Past any of
/// them a request is refused with 503 and `Retry-After`, before a child is started.
actor MediaLimiter {
    private let running: Int, queue: Int, perVisitor: Int
    private let queueWait: TimeInterval
    private var busy = 0
    private var held: [String: Int] = [:]
    private var waiting: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiter = 0

    init(running: Int, queue: Int, perVisitor: Int, queueWait: TimeInterval) {
        self.running = running
        self.queue = queue
        self.perVisitor = perVisitor
        self.queueWait = queueWait
    }

    /// Takes a place for `visitor` (waiting for one if need be), or throws 503.
    func acquire(_ visitor: String) async throws {
        guard held[visitor, default: 0] < perVisitor else {
            throw Self.busy(APIError(.serviceUnavailable, key: "error.media.yours", ["limit": String(perVisitor)]), retryAfter: 5)
        }
        if busy < running {
            busy += 1
            held[visitor, default: 0] += 1
            return
        }
        guard waiting.count < queue else {
            throw Self.busy(APIError(.serviceUnavailable, key: "error.media.busy"), retryAfter: 10)
        }
        held[visitor, default: 0] += 1
        let id = nextWaiter
        nextWaiter += 1
        let deadline = queueWait
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(deadline))
            await self?.giveUp(id)
        }
        let placed = await withCheckedContinuation { waiting.append((id, $0)) }
        timer.cancel()
        guard placed else {
            unhold(visitor)
            throw Self.busy(APIError(.serviceUnavailable, key: "error.media.busy"), retryAfter: 10)
        }
    }

    /// Gives the place back: the next waiting request takes it.
    func release(_ visitor: String) {
        unhold(visitor)
        if waiting.isEmpty { busy -= 1 } else { waiting.removeFirst().continuation.resume(returning: true) }
    }

    /// Places taken now and requests waiting, in all.
    var load: (running: Int, waiting: Int) { (busy, waiting.count) }

    private func giveUp(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }

    private func unhold(_ visitor: String) {
        let left = held[visitor, default: 1] - 1
        held[visitor] = left > 0 ? left : nil
    }

    private static func busy(_ error: APIError, retryAfter: Int) -> APIError {
        var error = error
        error.headers[.retryAfter] = String(retryAfter)
        return error
    }
}
