import Foundation

/// A search as people expect it, over any `SearchIndex`: moments first, with the sessions whose own
/// texts match as headers; abbreviations expanded; words spread over neighbouring cues or the
/// session's own texts found; a misspelt word corrected from the archive's vocabulary when the query
/// as typed finds nothing; and when no moment has every word, the moments with most of them. Filter
/// values that name nothing are said to be unknown rather than answered with "no matches".
///
/// Engine-neutral: every engine gets the same behaviour from the protocol's few calls (`SearchPlan`).
public struct ArchiveSearch: Sendable {
    public let index: any SearchIndex
    public var expansion = QueryExpansion.standard
    /// How many session headers a result holds at most.
    public var sessionLimit = 10

    public init(index: any SearchIndex) {
        self.index = index
    }

    /// Searches for `text` (the syntax of `SearchQuery`). On a networked engine a search whose words
    /// are said together is two round trips: the vocabulary (with the filters' names), then every
    /// probe (moments, the sessions' own texts, and each clause's moments for nearby moments when its
    /// words are rare); a frequent word's clause is asked for nearby moments only when the page is
    /// short (a third), and a clause said so often that its list was cut is read in the sessions
    /// checked (a third or fourth). No moment with every word: most words (one more).
    public func run(_ text: String, filters: SearchFilters = SearchFilters(), limit: Int = 20, perSession: Int? = 3,
                    now: Date = Date()) async throws -> SearchResult {
        // One connection for all of it on a networked engine (no round trip to prepare a second one).
        try await index.together { index in
            var search = ArchiveSearch(index: index)
            search.expansion = expansion
            search.sessionLimit = sessionLimit
            return try await search.answer(text, filters: filters, limit: limit, perSession: perSession, now: now)
        }
    }

    private func answer(_ text: String, filters: SearchFilters, limit: Int, perSession: Int?, now: Date) async throws -> SearchResult {
        let typed = try SearchQuery(text)
        var vocabulary = try await index.vocabulary(VocabularyRequest([typed, expansion.expand(typed).query], filters: filters))
        try checkFilters(filters, vocabulary)
        var result = SearchResult(query: text)
        var query = typed
        try await attempt(query, filters: filters, limit: limit, perSession: perSession, now: now, vocabulary: vocabulary, into: &result)
        if result.isEmpty, let corrected = try await corrected(typed, vocabulary) {
            query = corrected.query
            result.corrections = corrected.corrections
            vocabulary = try await index.vocabulary(VocabularyRequest([query, expansion.expand(query).query], filters: filters))
            try await attempt(query, filters: filters, limit: limit, perSession: perSession, now: now, vocabulary: vocabulary, into: &result)
        }
        if result.hits.isEmpty, query.clauses.count > 1 {
            try await mostWords(of: query, filters: filters, limit: limit, perSession: perSession, now: now, vocabulary: vocabulary, into: &result)
        }
        if filters.speaker != nil { result.hits = SearchHit.confirmedSpeakersFirst(result.hits) }
        return result
    }

    /// Moments with every clause (in one row, or spread nearby), and the sessions whose texts match.
    private func attempt(_ query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date, vocabulary: Vocabulary,
                         into result: inout SearchResult) async throws {
        let (expanded, applied) = expansion.expand(query)
        result.expansions = applied
        let momentKinds = filters.kinds.map { $0.intersection(MatchKind.moments) } ?? MatchKind.moments
        let fieldKinds = filters.kinds.map { $0.intersection(MatchKind.sessionFields) } ?? MatchKind.sessionFields
        let runner = PlanRunner(index: index, vocabulary: vocabulary, viewer: filters.viewer)
        let strict = momentKinds.isEmpty ? nil
            : SearchPlan(expanded, filters: filters.only(momentKinds), limit: limit, perSession: perSession, vocabulary: vocabulary)
        let fields = fieldKinds.isEmpty || filters.speaker != nil || filters.agenda != nil ? nil
            : SearchPlan(expanded, filters: filters.only(fieldKinds), limit: sessionLimit * 3, perSession: nil, vocabulary: vocabulary)
        let nearby = momentKinds.isEmpty ? nil : NearbyMoments(query: expanded, filters: filters.only(momentKinds))
        // A networked engine is asked for each clause's moments (nearby moments) in the same round trip
        // when its words are rare enough for that to cost little; else only when the moments holding
        // every word in one row leave the page short.
        let ahead = index.batchesProbes && nearby?.cheap(vocabulary) == true ? nearby?.plans(vocabulary) ?? [] : []
        let answers = try await runner.run([strict, fields] + ahead, now: now)
        var hits = answers[0]
        if let nearby, hits.count < limit, expanded.clauses.count > 1 {
            let first = ahead.isEmpty ? try await runner.run(nearby.plans(vocabulary), now: now) : Array(answers[2...])
            let wanted = nearby.refinements(first, vocabulary: vocabulary)
            let refined = try await runner.run(wanted.map(\.plan), now: now)
            let byKey = Dictionary(zip(wanted.map(\.key), refined), uniquingKeysWith: { a, _ in a })
            hits += nearby.find(first, refined: byKey, limit: limit - hits.count, excluding: hits, perSession: perSession)
        }
        if strict != nil, perSession != nil { hits = Ranking.crowdedByOffice(hits, limit: limit) { $0.office } }
        result.hits = hits
        if fields != nil { result.sessions = SessionMatch.grouped(answers[1], limit: sessionLimit) }
    }

    /// The query with each word the index has never seen replaced by its nearest indexed word, when
    /// there is one (`EditDistance.typosAllowed`); nil when no word was replaced.
    func corrected(_ query: SearchQuery, _ vocabulary: Vocabulary) async throws -> (query: SearchQuery, corrections: [Correction])? {
        var corrections: [Correction] = []
        var replacements: [String: String] = [:]
        let analyzer = TextAnalyzer()
        func correction(of word: String) async throws -> String? {
            if let known = replacements[word] { return known }
            let allowed = EditDistance.typosAllowed(letters: word.unicodeScalars.count)
            guard allowed > 0, vocabulary.rows(holding: word, analyzer: analyzer) == 0 else { return nil }
            let candidates = try await index.similarWords(to: word, maxDistance: allowed, limit: 8)
            guard let best = candidates.min(by: { $0.distance != $1.distance ? $0.distance < $1.distance : $0.rows > $1.rows }) else { return nil }
            replacements[word] = best.word
            corrections.append(Correction(from: word, to: best.word))
            return best.word
        }
        var fixed = query
        for (c, clause) in query.clauses.enumerated() {
            for (t, term) in clause.enumerated() {
                switch term {
                case let .word(w):
                    if let to = try await correction(of: w) { fixed.clauses[c][t] = .word(to) }
                case let .phrase(parts):
                    var changed = parts
                    for (k, part) in parts.enumerated() { if let to = try await correction(of: part) { changed[k] = to } }
                    fixed.clauses[c][t] = .phrase(changed)
                case .prefix:
                    continue
                }
            }
        }
        return corrections.isEmpty ? nil : (fixed, corrections)
    }

    /// The moments holding most of the query's clauses: every way of leaving out one, then two…,
    /// merged by score; stops at the first size that finds something. Each size is one call.
    private func mostWords(of query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date, vocabulary: Vocabulary,
                           into result: inout SearchResult) async throws {
        let (expanded, _) = expansion.expand(query)
        let clauses = expanded.clauses
        let momentKinds = filters.kinds.map { $0.intersection(MatchKind.moments) } ?? MatchKind.moments
        guard !momentKinds.isEmpty else { return }
        let runner = PlanRunner(index: index, vocabulary: vocabulary, viewer: filters.viewer)
        for keep in stride(from: clauses.count - 1, through: 1, by: -1) {
            let subsets = Array(Self.subsets(of: clauses.count, size: keep).prefix(16))
            let plans = subsets.map { subset -> SearchPlan? in
                var partial = expanded
                partial.clauses = subset.map { clauses[$0] }
                return SearchPlan(partial, filters: filters.only(momentKinds), limit: limit, perSession: perSession, vocabulary: vocabulary)
            }
            // Equal scores keep the order the subsets' searches gave them (newest first), whatever the engine.
            var best: [String: (hit: SearchHit, left: [Int], order: Int)] = [:]
            for (subset, hits) in zip(subsets, try await runner.run(plans, now: now)) {
                let left = clauses.indices.filter { !subset.contains($0) }
                for hit in hits {
                    let key = "\(hit.session)\u{0}\(hit.seconds)\u{0}\(hit.matched)"
                    if (best[key]?.hit.score ?? -1) < hit.score { best[key] = (hit, left, best[key]?.order ?? best.count) }
                }
            }
            guard !best.isEmpty else { continue }
            let ranked = best.values.sorted { $0.hit.score != $1.hit.score ? $0.hit.score > $1.hit.score : $0.order < $1.order }
            let crowded = perSession.map { cap in
                Ranking.crowdedByOffice(Ranking.crowded(ranked, perSession: cap) { $0.hit.session }, limit: limit) { $0.hit.office }
            } ?? ranked
            result.hits = crowded.prefix(limit).map(\.hit)
            result.partial = true
            result.missing = crowded.first.map { $0.left.map { QueryExpansion.text(clauses[$0][0]) } } ?? []
            return
        }
    }

    /// Every `size`-element subset of 0..<count, in order.
    static func subsets(of count: Int, size: Int) -> [[Int]] {
        guard size > 0, size <= count else { return size == 0 ? [[]] : [] }
        if size == count { return [Array(0..<count)] }
        return subsets(of: count - 1, size: size - 1).map { $0 + [count - 1] } + subsets(of: count - 1, size: size)
    }

    /// Throws `UnknownFilterValue` for a speaker, agenda item or topic that names nothing indexed.
    private func checkFilters(_ filters: SearchFilters, _ vocabulary: Vocabulary) throws {
        for (field, typed) in [(FilterField.speaker, filters.speaker), (.agenda, filters.agenda), (.topic, filters.topic)] {
            guard let typed else { continue }
            let known = vocabulary.names[field] ?? []
            let matching = field == .topic ? NameFilter.matchingStems(typed, in: known) : NameFilter.matching(typed, in: known)
            guard matching.isEmpty else { continue }
            throw UnknownFilterValue(field: field, typed: typed, suggestions: NameFilter.closest(to: typed, in: known),
                                     knownCount: known.count, someKnown: known.prefix(5).map(\.name))
        }
    }
}
