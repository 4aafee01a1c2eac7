import Foundation

/// What one search found, as every front end shows it (the command line, `--json`, the web pages).
public struct SearchResult: Sendable, Codable, Equatable {
    /// The query as typed.
    public var query: String
    /// Words replaced because the query as typed found nothing ("did you mean"), applied.
    public var corrections: [Correction] = []
    /// Abbreviations and long forms searched for as well.
    public var expansions: [QueryExpansion.Applied] = []
    /// True when no moment holds every word of the query and these hold most of them.
    public var partial = false
    /// With `partial`: the words the best hits lack.
    public var missing: [String] = []
    /// Sessions whose own title, description or roster matched: headers, not moments.
    public var sessions: [SessionMatch] = []
    /// Moments, best first.
    public var hits: [SearchHit] = []

    public init(query: String) {
        self.query = query
    }

    /// Whether nothing at all was found.
    public var isEmpty: Bool { hits.isEmpty && sessions.isEmpty }
}

/// A word of the query replaced by a word of the archive's vocabulary.
public struct Correction: Sendable, Codable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// A session whose own texts matched the query.
public struct SessionMatch: Sendable, Codable, Equatable {
    public var session: String
    public var title: String
    public var date: Date?
    /// Which of its texts matched: title, description, roster.
    public var matched: [String]
    /// The best matching text, matched words in «guillemets».
    public var snippet: String
    public var score: Double
    /// The office whose session this is (a shared catalog only).
    public var office: String? = nil
    /// Where the session plays from, a signed link to it, and whether its office is offline (as on `SearchHit`).
    public var playFrom: String? = nil
    public var link: String? = nil
    public var officeOffline: Bool? = nil

    /// The header rows of a search, one per session, in order of their best row.
    static func grouped(_ rows: [SearchHit], limit: Int) -> [SessionMatch] {
        var order: [String] = []
        var bySession: [String: SessionMatch] = [:]
        for row in rows.sorted(by: { $0.score > $1.score }) {
            if var known = bySession[row.session] {
                if !known.matched.contains(row.matched) { known.matched.append(row.matched) }
                bySession[row.session] = known
            } else {
                order.append(row.session)
                bySession[row.session] = SessionMatch(session: row.session, title: row.title, date: row.date, matched: [row.matched],
                                                      snippet: row.snippet, score: row.score, office: row.office, playFrom: row.playFrom)
            }
        }
        return order.prefix(limit).compactMap { bySession[$0] }
    }
}
