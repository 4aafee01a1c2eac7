import Foundation

/// One ranked search over any index (`Ranking`): the probes it asks, and how their answers become
/// hits. For each pass (human captions; machine-transcript lines; the other rows) and each
/// combination of matched alternatives, the newest rows holding it exactly and then by stem, up to
/// `limit` for captions and `limit * 4 + 20` for the other rows; a caption match by stem is not
/// needed once the exact matches fill the page (an exact match counts twice). With crowding, a
/// session gives at most `perSession` rows per probe; when that left the page short, the probes are
/// asked again without the cap. Candidates are scored, crowded (by session, then by office), cut to
/// `limit` and given snippets here, for every engine.
public struct SearchPlan: Sendable {
    /// How many words a prefix* stands for at most: its most frequent completions.
    public static let prefixExpansions = 16

    let query: SearchQuery
    let limit: Int
    /// Rows of one session per probe (nil: no crowding).
    let cap: Int?
    let scope: CandidateScope
    let vocabulary: Vocabulary
    let passes: [(kinds: Set<MatchKind>, captions: Bool, want: Int)]
    let combinations: [[SearchQuery.Term]]
    let weights: [Double]
    /// (pass, combination, exact) of every probe the plan may ask, in the order they are merged.
    let slots: [(pass: Int, combination: Int, exact: Bool)]

    /// Nil when the filters leave nothing to search (no kind, a name that no label has…).
    public init?(_ query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, vocabulary: Vocabulary,
                 analyzer: TextAnalyzer = TextAnalyzer()) {
        guard let scope = Self.scope(filters, vocabulary: vocabulary, analyzer: analyzer) else { return nil }
        self.query = query
        self.limit = limit
        self.scope = scope
        self.vocabulary = vocabulary
        cap = filters.session == nil ? perSession.flatMap { $0 > 0 ? $0 : nil } : nil
        let allowed = filters.kinds ?? Set(MatchKind.allCases)
        var passes = [MatchKind.caption, .transcript].filter(allowed.contains).map { (kinds: Set([$0]), captions: true, want: limit) }
        let others = allowed.subtracting([.caption, .transcript])
        if !others.isEmpty { passes.append((others, false, limit * 4 + 20)) }
        self.passes = passes
        combinations = query.clauses.reduce([[]]) { partial, alternatives in partial.flatMap { prefix in alternatives.map { prefix + [$0] } } }
        func idf(_ word: String) -> Double {
            Ranking.inverseDocumentFrequency(docs: Double(vocabulary.stemDocs[analyzer.stem(word)] ?? 0), total: vocabulary.total)
        }
        weights = combinations.map { combination in
            combination.reduce(0.0) { sum, term in
                switch term {
                case let .word(w): return sum + idf(w)
                case let .phrase(parts): return sum + parts.reduce(0) { $0 + idf($1) }
                case .prefix: return sum + Ranking.prefixWeight
                }
            }
        }
        var slots: [(pass: Int, combination: Int, exact: Bool)] = []
        for pass in passes.indices {
            for (c, combination) in combinations.enumerated() {
                if combination.contains(where: { if case .prefix = $0 { return false } else { return true } }) { slots.append((pass, c, true)) }
                slots.append((pass, c, false))
            }
        }
        self.slots = slots
    }

    /// The filters as an engine applies them: names turned into the labels that carry them.
    static func scope(_ filters: SearchFilters, vocabulary: Vocabulary, analyzer: TextAnalyzer) -> CandidateScope? {
        if let kinds = filters.kinds, kinds.isEmpty { return nil }
        var scope = CandidateScope(session: filters.session, since: filters.since, until: filters.until, office: filters.office)
        if let topic = filters.topic {
            let stems = analyzer.tokens(topic).map(\.stem)
            guard !stems.isEmpty else { return nil }
            scope.topicStems = stems
        }
        for (field, typed) in [(FilterField.speaker, filters.speaker), (.agenda, filters.agenda)] {
            guard let typed else { continue }
            // Whole words of the name or an alias (`NameFilter`), label by label.
            let numbers = (vocabulary.labels[field] ?? []).filter { NameFilter.matches(typed, $0.name) }.map(\.number)
            guard !numbers.isEmpty else { return nil }
            if field == .speaker { scope.speakers = numbers } else { scope.agendas = numbers }
        }
        return scope
    }

    /// The probe of slot `slot`, with the session cap or without.
    func probe(_ slot: Int, capped: Bool) -> CandidateProbe {
        let (p, c, exact) = slots[slot]
        let pass = passes[p]
        let perSession = capped ? cap : nil
        // Office crowding while gathering (with session crowding): a busy office's rows beyond its
        // share wait for the uncapped round, so other offices' rows are among the candidates.
        let perOffice = perSession != nil && vocabulary.offices > 1 && scope.office == nil ? Ranking.officeShare(of: pass.want) : nil
        return CandidateProbe(terms: combinations[c], exact: exact, excluded: query.excluded, kinds: pass.kinds, want: pass.want,
                              perSession: perSession, perOffice: perOffice, scope: scope, matches: matches(combinations[c], exact: exact),
                              total: Int(vocabulary.total))
    }

    /// At most how many rows hold every term: the fewest rows holding one of its words, or one of a
    /// prefix's completions (nil: only prefixes whose completions' rows are unknown).
    private func matches(_ terms: [SearchQuery.Term], exact: Bool) -> Int? {
        let analyzer = TextAnalyzer()
        func rows(_ word: String) -> Int? { exact ? vocabulary.exactDocs[word] : vocabulary.stemDocs[analyzer.stem(word)] }
        var fewest: Int?
        for term in terms {
            let words: [String]
            switch term {
            case let .word(w): words = [w]
            case let .phrase(parts): words = parts
            case let .prefix(p):
                if let n = vocabulary.completionDocs[p] { fewest = min(fewest ?? n, n) }
                continue
            }
            for word in words {
                guard let n = rows(word) else { return nil }
                fewest = min(fewest ?? n, n)
            }
        }
        return fewest
    }

    /// Whether a slot is a caption match by stem whose exact sibling filled the page (then not needed).
    private func skipped(_ slot: Int, _ lists: [Int: CandidateList]) -> Bool? {
        let (p, _, exact) = slots[slot]
        guard !exact, passes[p].captions, slot > 0, slots[slot - 1].exact, slots[slot - 1].combination == slots[slot].combination,
              slots[slot - 1].pass == p else { return false }
        guard let sibling = lists[slot - 1] else { return nil }
        return sibling.rows.count >= passes[p].want
    }

    /// The slots still to ask, given the answers so far: every slot not known to be unneeded.
    func missing(_ lists: [Int: CandidateList]) -> [Int] {
        slots.indices.filter { lists[$0] == nil && skipped($0, lists) == false }
    }

    /// Adds the answers' rows to `best` with their match weight (before kind and recency); whether a
    /// cap left rows out.
    func merge(_ lists: [Int: CandidateList], into best: inout [Int64: (weight: Double, row: Candidate)]) -> Bool {
        var capped = false
        for slot in slots.indices where skipped(slot, lists) == false {
            guard let list = lists[slot] else { continue }
            capped = capped || list.capped
            let (_, c, exact) = slots[slot]
            let weight = weights[c] * (exact ? Ranking.exactFactor : 1)
            for row in list.rows where (best[row.id]?.weight ?? 0) < weight { best[row.id] = (weight, row) }
        }
        return capped
    }

    /// The candidates ranked (`Ranking`), crowded, cut to `limit`, with snippets.
    func hits(_ best: [Int64: (weight: Double, row: Candidate)], now: Date, analyzer: TextAnalyzer) -> [SearchHit] {
        var scored = best.values.map { (score: Ranking.score(matchWeight: $0.weight, kind: $0.row.kind, sessionStartedAt: $0.row.startedAt, now: now),
                                        row: $0.row) }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.row.id > $1.row.id }
        if let cap {
            scored = Ranking.crowded(scored, perSession: cap) { $0.row.session }
            scored = Ranking.crowdedByOffice(scored, limit: limit) { $0.row.office }
        }
        let highlighter = Highlighter(query, analyzer: analyzer)
        return scored.prefix(limit).map { score, row in
            SearchHit(session: row.session, title: row.title, date: row.startedAt, seconds: row.seconds, speaker: row.speaker, agenda: row.agenda,
                      matched: row.kind, text: row.text, snippet: highlighter.snippet(row.text), score: score, office: row.office,
                      playFrom: row.playFrom)
        }
    }
}

extension VocabularyRequest {
    /// What searching for `queries` under `filters` needs to know.
    public init(_ queries: [SearchQuery], filters: SearchFilters, analyzer: TextAnalyzer = TextAnalyzer()) {
        self.init()
        for query in queries {
            for term in query.clauses.joined() {
                switch term {
                case let .word(w): words.insert(w); stems.insert(analyzer.stem(w))
                case let .phrase(parts): for part in parts { words.insert(part); stems.insert(analyzer.stem(part)) }
                case let .prefix(p): prefixes.insert(p)
                }
            }
            for case let .prefix(p) in query.excluded { prefixes.insert(p) }
        }
        if filters.speaker != nil { names.insert(.speaker) }
        if filters.agenda != nil { names.insert(.agenda) }
        if filters.topic != nil { names.insert(.topic) }
        viewer = filters.viewer
    }
}
