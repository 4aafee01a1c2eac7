import Foundation
import SiaranArchive

/// Turns what a saved search finds now into alerts: only moments not yet seen (`SeenMoments`), only
/// hits that hold the query as typed (no "did you mean" correction, no partial match).
public enum AlertMatcher {
    /// The alerts `result` raises for `search`, and the keys to mark seen (the moment of each alert).
    public static func alerts(for search: SavedSearch, in result: SearchResult, now: Date,
                              makeID: () -> String) -> (alerts: [Alert], keys: [String]) {
        guard result.corrections.isEmpty, !result.partial else { return ([], []) }
        var seen = SeenMoments(search.seen)
        var keys: [String] = []
        var alerts: [Alert] = []
        // Oldest moment first, so the feed and the page list them in the order they were said.
        for hit in result.hits.sorted(by: { ($0.session, $0.seconds) < ($1.session, $1.seconds) }) {
            guard !seen.contains(office: hit.office, session: hit.session, seconds: hit.seconds) else { continue }
            keys.append(seen.insert(office: hit.office, session: hit.session, seconds: hit.seconds))
            alerts.append(Alert(id: makeID(), search: search.id, query: search.query, session: hit.session, title: hit.title,
                                seconds: hit.seconds, matched: hit.matched, snippet: hit.snippet, speaker: hit.speaker,
                                agenda: hit.agenda, office: hit.office, raisedAt: now))
        }
        return (alerts, keys)
    }
}

/// The moments a saved search has alerted (or found already when it was saved), from its `seen`
/// keys. A hit within `sameMoment` seconds of one of them is the same moment: the live line a word
/// was first shown in and the final transcript's line that replaces it (other cue times, another
/// cut into lines) are one alert, and so are the lines of one answer that say the word twice. Keys
/// of books written before (`AlertBook.key`, the half minute) still count as seen.
public struct SeenMoments: Sendable {
    /// Seconds apart that are still one moment.
    public static let sameMoment = 20.0
    private var moments: [String: [Double]] = [:]
    private var halfMinutes: Set<String> = []

    public init(_ keys: [String]) {
        for key in keys {
            if let mark = key.lastIndex(of: "#"), let seconds = Double(key[key.index(after: mark)...]) {
                moments[String(key[..<mark]), default: []].append(seconds)
            } else {
                halfMinutes.insert(key)
            }
        }
    }

    /// Whether the moment at `seconds` of `session` was seen.
    public func contains(office: String?, session: String, seconds: Double) -> Bool {
        if halfMinutes.contains(AlertBook.key(office: office, session: session, seconds: seconds)) { return true }
        return moments[Self.place(office, session)]?.contains { abs($0 - seconds) < Self.sameMoment } ?? false
    }

    /// Marks the moment seen; answers its key for `SavedSearch.seen` ("office/session#seconds").
    @discardableResult
    public mutating func insert(office: String?, session: String, seconds: Double) -> String {
        let place = Self.place(office, session), rounded = (max(0, seconds) * 10).rounded() / 10
        moments[place, default: []].append(rounded)
        return place + "#" + String(rounded)
    }

    private static func place(_ office: String?, _ session: String) -> String { "\(office ?? "")/\(session)" }
}
