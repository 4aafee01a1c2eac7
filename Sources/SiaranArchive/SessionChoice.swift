import Foundation
import SiaranCore

/// Which session a command means: the one it names, else the one being recorded now, else the latest.
public enum SessionChoice {
    /// The archive's ids nearest to a mistyped `query`, nearest first (at most `count`; the newest
    /// sessions when nothing is near). Distance: edits between the query and the id, or the id's
    /// start of the same length (a mistyped prefix), whichever is smaller.
    public static func nearest(_ query: String, among ids: [String], count: Int = 3) -> [String] {
        guard !ids.isEmpty else { return [] }
        let typed = Array(query.lowercased())
        let scored = ids.map { id -> (id: String, distance: Int) in
            let whole = Array(id.lowercased())
            let start = Array(whole.prefix(typed.count))
            return (id, min(editDistance(typed, whole), editDistance(typed, start)))
        }
        let near = scored.filter { $0.distance <= max(2, typed.count / 3) }
            .sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id > $1.id }
        return near.isEmpty ? Array(ids.sorted().reversed().prefix(count)) : near.prefix(count).map(\.id)
    }

    /// Levenshtein distance between two strings of characters.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension Archive {
    /// The session a command means when it names none (as `siaran tag` takes the live one): the
    /// session being recorded now (the latest started, if several), else the latest session of
    /// the archive (by start, else creation). `live` says whether it is being recorded.
    public func currentOrLatestSession() throws(ArchiveError) -> (id: String, live: Bool) {
        let live = Tagger(archive: self).recordingSessions()
        let candidates = live.isEmpty ? sessionIDs() : live
        let dated = candidates.compactMap { id -> (id: String, date: Date)? in
            guard let m = try? loadManifest(id) else { return nil }
            return (id, m.startedAt ?? m.createdAt)
        }
        guard let latest = dated.max(by: { $0.date != $1.date ? $0.date < $1.date : $0.id < $1.id }) else { throw .noSessions(archive: root) }
        return (latest.id, !live.isEmpty)
    }

    /// `query` resolved (an id or a unique part of one), else `currentOrLatestSession()`.
    public func resolveOrCurrent(_ query: String?) throws(ArchiveError) -> (id: String, live: Bool, chosen: Bool) {
        if let query { return (try resolve(query), false, false) }
        let current = try currentOrLatestSession()
        return (current.id, current.live, true)
    }
}
