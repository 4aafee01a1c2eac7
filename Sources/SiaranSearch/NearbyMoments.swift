import Foundation

/// Moments where a query's words are close rather than in one row: said across neighbouring cues
/// (within `window` seconds), or partly in the session's own title, description or roster. A
/// speaker says "…soal hoaks." and, in the next cue, "Pemilu kita harus bersih": `hoaks pemilu`
/// lands there.
///
/// Built from single-clause plans (`SearchPlan`), so every engine has it: the clause with the fewest
/// moments anchors; in each of the (at most `sessionsChecked`) sessions where it occurs, every other
/// clause must be in the session's own texts or in a moment within the window of the anchor. Asked
/// in at most two rounds: each clause's moments and sessions (`plans`), then, where a clause's list
/// was cut, its moments inside the sessions checked (`refinements`).
struct NearbyMoments {
    let query: SearchQuery
    /// Moment kinds only.
    let filters: SearchFilters

    /// How far apart (seconds) the words of one moment may be.
    static let window: Double = 8
    /// Moments read per clause (newest first) before looking inside sessions one by one.
    static let perClause = 200
    static let sessionsChecked = 10
    /// Nearby moments rank below every moment that holds all words in one row.
    static let scoreFactor = 0.5

    /// Rows a clause may match at most for its moments to be asked for ahead, with the other probes.
    static let askedAheadBelow = 2_000

    /// Whether every clause's words are rare enough (`askedAheadBelow`) to ask for their moments ahead.
    func cheap(_ vocabulary: Vocabulary) -> Bool {
        let analyzer = TextAnalyzer()
        return query.clauses.count > 1 && query.clauses.joined().allSatisfy { term in
            switch term {
            case let .word(w): return (vocabulary.stemDocs[analyzer.stem(w)] ?? Int.max) <= Self.askedAheadBelow
            case let .phrase(parts): return parts.contains { (vocabulary.stemDocs[analyzer.stem($0)] ?? Int.max) <= Self.askedAheadBelow }
            case .prefix: return false
            }
        }
    }

    /// For each clause: its moments, then the sessions whose own texts hold it.
    func plans(_ vocabulary: Vocabulary) -> [SearchPlan?] {
        guard query.clauses.count > 1 else { return [] }
        return query.clauses.flatMap { clause in
            [SearchPlan(single(clause), filters: filters, limit: Self.perClause, perSession: nil, vocabulary: vocabulary),
             SearchPlan(single(clause), filters: filters.only(MatchKind.sessionFields), limit: 100, perSession: nil, vocabulary: vocabulary)]
        }
    }

    /// The sessions to check, with the anchor clause (nil: none).
    private func anchored(_ first: [[SearchHit]]) -> (anchor: Int, sessions: [String])? {
        let moments = query.clauses.indices.map { first[2 * $0] }
        guard let anchor = moments.indices.filter({ !moments[$0].isEmpty }).min(by: { moments[$0].count < moments[$1].count }) else { return nil }
        var sessions: [String] = []
        for hit in moments[anchor] where !sessions.contains(hit.session) && sessions.count < Self.sessionsChecked { sessions.append(hit.session) }
        return (anchor, sessions)
    }

    /// Where a clause's list was cut, its moments in a session to check: (session, clause) and the plan.
    func refinements(_ first: [[SearchHit]], vocabulary: Vocabulary) -> [(key: String, plan: SearchPlan?)] {
        guard first.count == 2 * query.clauses.count, let (anchor, sessions) = anchored(first) else { return [] }
        var wanted: [(key: String, plan: SearchPlan?)] = []
        for session in sessions {
            for j in query.clauses.indices where j != anchor && first[2 * j].count >= Self.perClause
                && !first[2 * j + 1].contains(where: { $0.session == session }) {
                wanted.append(("\(session)\u{0}\(j)", SearchPlan(single(query.clauses[j]), filters: filters.within(session: session), limit: 1000,
                                                                  perSession: nil, vocabulary: vocabulary)))
            }
        }
        return wanted
    }

    /// The nearby moments, from the answers of `plans` and `refinements` (by key).
    func find(_ first: [[SearchHit]], refined: [String: [SearchHit]], limit: Int, excluding strict: [SearchHit], perSession: Int?) -> [SearchHit] {
        let clauses = query.clauses
        guard clauses.count > 1, limit > 0, first.count == 2 * clauses.count, let (anchor, sessions) = anchored(first) else { return [] }
        let moments = clauses.indices.map { first[2 * $0] }
        let inFields = clauses.indices.map { Set(first[2 * $0 + 1].map(\.session)) }

        let taken = Set(strict.map { "\($0.session)\u{0}\($0.seconds)" })
        var found: [SearchHit] = []
        var seen = Set<String>()
        let highlighter = Highlighter(query, analyzer: TextAnalyzer())
        for session in sessions {
            var others: [(clause: Int, moments: [SearchHit])] = []
            var fieldClauses: [Int] = []
            var possible = true
            for j in clauses.indices where j != anchor {
                if inFields[j].contains(session) { fieldClauses.append(j); continue }
                var here = moments[j].filter { $0.session == session }
                // The clause's list was cut: this session's moments of it, read on their own.
                if moments[j].count >= Self.perClause { here = refined["\(session)\u{0}\(j)"] ?? [] }
                if here.isEmpty { possible = false; break }
                others.append((j, here))
            }
            guard possible else { continue }
            for hit in moments[anchor] where hit.session == session {
                var parts = [hit]
                var complete = true
                for other in others {
                    guard let near = other.moments.filter({ abs($0.seconds - hit.seconds) <= Self.window })
                        .min(by: { abs($0.seconds - hit.seconds) < abs($1.seconds - hit.seconds) }) else { complete = false; break }
                    if !parts.contains(where: { $0.seconds == near.seconds && $0.text == near.text }) { parts.append(near) }
                }
                // One row holding every clause is a strict hit, not a nearby one.
                guard complete, parts.count > 1 || !fieldClauses.isEmpty else { continue }
                parts.sort { $0.seconds < $1.seconds }
                let first = parts[0]
                let key = "\(session)\u{0}\(first.seconds)"
                guard !taken.contains(key), seen.insert(key).inserted else { continue }
                var combined = first
                combined.text = parts.map(\.text).joined(separator: " … ")
                combined.snippet = parts.map { highlighter.snippet($0.text) }.joined(separator: " … ")
                combined.score = parts.reduce(0) { $0 + $1.score } * Self.scoreFactor
                var spread: [String] = []
                if parts.count > 1 { spread.append("nearby") }
                if !fieldClauses.isEmpty { spread.append("session") }
                combined.spreadOver = spread
                found.append(combined)
            }
        }
        found.sort { $0.score > $1.score }
        if let perSession, perSession > 0 { found = Ranking.crowded(found, perSession: perSession) { $0.session } }
        return Array(found.prefix(limit))
    }

    private func single(_ clause: [SearchQuery.Term]) -> SearchQuery {
        var single = query
        single.clauses = [clause]
        return single
    }
}
