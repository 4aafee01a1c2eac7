import Foundation

/// What a hit's row is: a caption cue, or one of the session's own texts. The raw value is what an
/// index stores; the name is what `siaran search` prints.
public enum MatchKind: Int, CaseIterable, Sendable {
    case caption = 0, title, description, roster, agenda, speaker, topic, note
    /// A line of a machine transcript (`captions/asr.vtt`, speech-to-text).
    case transcript

    public var name: String { String(describing: self) }

    /// Rows that are moments of a session: what a search lands on.
    public static let moments: Set<MatchKind> = [.caption, .transcript, .note, .topic, .speaker, .agenda]
    /// The session's own texts (no moment of their own): a hit there is the session's header.
    public static let sessionFields: Set<MatchKind> = [.title, .description, .roster]
}

/// How hits are scored and ordered, whatever engine found them (every `SearchIndex` applies this).
///
/// A hit's score: for each clause of the query, the inverse document frequency of the alternative
/// that matched (`prefix*` counts 1), doubled when the row holds the exact form; times the field
/// weight of its kind; times a mild recency factor (up to +20% for this year's sessions). Term
/// frequency inside one row is ignored (cues are a dozen words). Within one combination of matched
/// alternatives, exactness and kind, the score only grows with recency: an engine may read the newest
/// rows of each combination first and stop once it has `limit` of them.
public enum Ranking {
    /// Field weight of a kind of row.
    public static func weight(of kind: MatchKind) -> Double {
        switch kind {
        case .title: return 3
        case .agenda, .topic: return 2
        case .speaker, .note, .description: return 1.5
        case .caption, .roster: return 1
        // Below a human caption of the same words.
        case .transcript: return 0.9
        }
    }

    /// How much more an exact form counts than a stem-only match.
    public static let exactFactor: Double = 2

    /// The weight of a prefix* clause (its completions are not scored one by one).
    public static let prefixWeight: Double = 1

    /// Inverse document frequency of a token that `docs` of `total` rows hold (BM25's form, never negative).
    public static func inverseDocumentFrequency(docs: Double, total: Double) -> Double {
        log(1 + (total - docs + 0.5) / (docs + 0.5))
    }

    /// 1 to 1.2: sessions of the last year weigh a little more.
    public static func recency(sessionStartedAt: Date, now: Date) -> Double {
        let ageDays = max(0, now.timeIntervalSince(sessionStartedAt)) / 86_400
        return 1 + 0.2 * exp(-ageDays / 365)
    }

    /// The score of a row whose clauses matched with `matchWeight` (sum of their IDFs, times
    /// `exactFactor` when exact).
    public static func score(matchWeight: Double, kind: MatchKind, sessionStartedAt: Date, now: Date) -> Double {
        matchWeight * weight(of: kind) * recency(sessionStartedAt: sessionStartedAt, now: now)
    }

    /// Crowding: the best `perSession` hits of each session first (in score order), then the others
    /// (in score order). `hits` must be sorted best first. A word said 700 times in last week's
    /// briefing would otherwise push every older briefing off the page.
    public static func crowded<Hit>(_ hits: [Hit], perSession: Int, session: (Hit) -> String) -> [Hit] {
        var shown: [String: Int] = [:]
        var first: [Hit] = [], rest: [Hit] = []
        for hit in hits {
            shown[session(hit), default: 0] += 1
            if shown[session(hit)]! <= perSession { first.append(hit) } else { rest.append(hit) }
        }
        return first + rest
    }

    /// Office-level crowding on a shared catalog: at most this many hits of one office lead a page of
    /// `limit` (a quarter of it, at least 2), so one busy office does not fill the first page while
    /// others have matches. Hits of one office alone keep their order.
    public static func officeShare(of limit: Int) -> Int { max(2, (limit + 3) / 4) }

    /// `hits` (best first) with each office's best `officeShare(of: limit)` first, then the others.
    public static func crowdedByOffice<Hit>(_ hits: [Hit], limit: Int, office: (Hit) -> String?) -> [Hit] {
        crowded(hits, perSession: officeShare(of: limit)) { office($0) ?? "" }
    }
}
