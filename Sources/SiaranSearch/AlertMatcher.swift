import Foundation
import SiaranArchive

/// Turns what a saved search finds now into alerts: only moments past its high-water mark (keys not
/// yet seen), only hits that hold the query as typed (no "did you mean" correction, no partial match).
public enum AlertMatcher {
    /// The alerts `result` raises for `search`, and the keys to mark seen (every full hit's, alerted or not).
    public static func alerts(for search: SavedSearch, in result: SearchResult, now: Date,
                              makeID: () -> String) -> (alerts: [Alert], keys: [String]) {
        guard result.corrections.isEmpty, !result.partial else { return ([], []) }
        let seen = Set(search.seen)
        var keys: [String] = []
        var alerts: [Alert] = []
        // Oldest moment first, so the feed and the page list them in the order they were said.
        for hit in result.hits.sorted(by: { ($0.session, $0.seconds) < ($1.session, $1.seconds) }) {
            let key = AlertBook.key(office: hit.office, session: hit.session, seconds: hit.seconds)
            if keys.contains(key) { continue }
            keys.append(key)
            if seen.contains(key) { continue }
            alerts.append(Alert(id: makeID(), search: search.id, query: search.query, session: hit.session, title: hit.title,
                                seconds: hit.seconds, matched: hit.matched, snippet: hit.snippet, speaker: hit.speaker,
                                agenda: hit.agenda, office: hit.office, raisedAt: now))
        }
        return (alerts, keys)
    }
}
