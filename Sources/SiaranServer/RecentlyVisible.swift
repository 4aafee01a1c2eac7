import Foundation
import Synchronization

/// The catalog's answer to "which of this archive's sessions may office X see", kept a short while for
/// the archive's media files. A player watching a session asks for its playlist and then a segment
/// every few seconds; without this each of those requests cost the shared catalog a query.
///
/// An answer is used only to let a media request through: a session not in it is asked again at once,
/// so one just shared plays at once, and one no longer shared stops playing within `lifetime`. Pages
/// and the API always ask the catalog (`OfficeViewMiddleware`). At most `capacity` offices are kept.
final class RecentlyVisible: Sendable {
    let lifetime: Duration
    let capacity: Int
    private let kept = Mutex<[String: (ids: Set<String>, at: ContinuousClock.Instant)]>([:])
    private let asked = Atomic<Int>(0)

    /// Answers are kept `lifetime` (a few segment durations), for at most `capacity` offices.
    init(lifetime: Duration = .seconds(15), capacity: Int = 256) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// How many times the catalog was asked (`visible(to:including:ask:)` calling `ask`).
    var lookups: Int { asked.load(ordering: .relaxed) }

    /// The sessions `viewer` may see: the kept answer when it is younger than `lifetime` and holds
    /// `session`, else `ask`'s (then kept). `session` nil: always asks (and keeps the answer).
    func visible(to viewer: String, including session: String?, ask: () async throws -> Set<String>) async throws -> Set<String> {
        let now = ContinuousClock.now
        if let session, let known = kept.withLock({ $0[viewer] }), now - known.at < lifetime, known.ids.contains(session) {
            return known.ids
        }
        asked.add(1, ordering: .relaxed)
        let ids = try await ask()
        kept.withLock { kept in
            if kept[viewer] == nil, kept.count >= capacity {
                kept = kept.filter { now - $0.value.at < lifetime }
                if kept.count >= capacity, let oldest = kept.min(by: { $0.value.at < $1.value.at })?.key { kept[oldest] = nil }
            }
            kept[viewer] = (ids, now)
        }
        return ids
    }
}
