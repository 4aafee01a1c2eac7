import Foundation

/// A search as people expect it, over any `SearchIndex`: moments first, with the sessions whose own
/// texts match as headers; abbreviations expanded; words spread over neighbouring cues or the
/// session's own texts found; a misspelt word corrected from the archive's vocabulary when the query
/// as typed finds nothing; and when no moment has every word, the moments with most of them. Filter
/// values that name nothing are said to be unknown rather than answered with "no matches".
///
/// Engine-neutral: every engine gets the same behaviour from the protocol's few calls.
public struct ArchiveSearch: Sendable {
    public let index: any SearchIndex
    public var expansion = QueryExpansion.standard
    /// How many session headers a result holds at most.
    public var sessionLimit = 10

    public init(index: any SearchIndex) {
        self.index = index
    }

    /// Searches for `text` (the syntax of `SearchQuery`).
    public func run(_ text: String, filters: SearchFilters = SearchFilters(), limit: Int = 20, perSession: Int? = 3,
                    now: Date = Date()) async throws -> SearchResult {
        let typed = try SearchQuery(text)
        try await checkFilters(filters)
        var result = SearchResult(query: text)
        var query = typed
        try await attempt(query, filters: filters, limit: limit, perSession: perSession, now: now, into: &result)
        if result.isEmpty, let corrected = try await corrected(typed) {
            query = corrected.query
            result.corrections = corrected.corrections
            try await attempt(query, filters: filters, limit: limit, perSession: perSession, now: now, into: &result)
        }
        if result.hits.isEmpty, query.clauses.count > 1 {
            try await mostWords(of: query, filters: filters, limit: limit, perSession: perSession, now: now, into: &result)
        }
        return result
    }

    /// Moments with every clause (in one row, or spread nearby), and the sessions whose texts match.
    private func attempt(_ query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date,
                         into result: inout SearchResult) async throws {
        let (expanded, applied) = expansion.expand(query)
        result.expansions = applied
        let momentKinds = filters.kinds.map { $0.intersection(MatchKind.moments) } ?? MatchKind.moments
        let fieldKinds = filters.kinds.map { $0.intersection(MatchKind.sessionFields) } ?? MatchKind.sessionFields
        var hits: [SearchHit] = []
        if !momentKinds.isEmpty {
            hits = try await index.search(expanded, filters: filters.only(momentKinds), limit: limit, perSession: perSession, now: now)
            if hits.count < limit, expanded.clauses.count > 1 {
                let nearby = NearbyMoments(index: index, query: expanded, filters: filters.only(momentKinds), now: now)
                hits += try await nearby.find(limit: limit - hits.count, excluding: hits, perSession: perSession)
            }
            if perSession != nil { hits = Ranking.crowdedByOffice(hits, limit: limit) { $0.office } }
        }
        result.hits = hits
        if !fieldKinds.isEmpty, filters.speaker == nil, filters.agenda == nil {
            let rows = try await index.search(expanded, filters: filters.only(fieldKinds), limit: sessionLimit * 3, perSession: nil, now: now)
            result.sessions = SessionMatch.grouped(rows, limit: sessionLimit)
        }
    }

    /// The query with each word the index has never seen replaced by its nearest indexed word, when
    /// there is one (`EditDistance.typosAllowed`); nil when no word was replaced.
    func corrected(_ query: SearchQuery) async throws -> (query: SearchQuery, corrections: [Correction])? {
        var corrections: [Correction] = []
        var replacements: [String: String] = [:]
        func correction(of word: String) async throws -> String? {
            if let known = replacements[word] { return known }
            let allowed = EditDistance.typosAllowed(letters: word.unicodeScalars.count)
            guard allowed > 0, try await index.rows(holding: word) == 0 else { return nil }
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
    /// merged by score; stops at the first size that finds something.
    private func mostWords(of query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date,
                           into result: inout SearchResult) async throws {
        let (expanded, _) = expansion.expand(query)
        let clauses = expanded.clauses
        let momentKinds = filters.kinds.map { $0.intersection(MatchKind.moments) } ?? MatchKind.moments
        guard !momentKinds.isEmpty else { return }
        for keep in stride(from: clauses.count - 1, through: 1, by: -1) {
            var best: [String: (hit: SearchHit, left: [Int])] = [:]
            for subset in Self.subsets(of: clauses.count, size: keep).prefix(16) {
                var partial = expanded
                partial.clauses = subset.map { clauses[$0] }
                let left = clauses.indices.filter { !subset.contains($0) }
                for hit in try await index.search(partial, filters: filters.only(momentKinds), limit: limit, perSession: perSession, now: now) {
                    let key = "\(hit.session)\u{0}\(hit.seconds)\u{0}\(hit.matched)"
                    if (best[key]?.hit.score ?? -1) < hit.score { best[key] = (hit, left) }
                }
            }
            guard !best.isEmpty else { continue }
            let ranked = best.values.sorted { $0.hit.score > $1.hit.score }
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
    private func checkFilters(_ filters: SearchFilters) async throws {
        for (field, typed) in [(FilterField.speaker, filters.speaker), (.agenda, filters.agenda), (.topic, filters.topic)] {
            guard let typed else { continue }
            let known = try await index.knownNames(field)
            let matching = field == .topic ? NameFilter.matchingStems(typed, in: known) : NameFilter.matching(typed, in: known)
            guard matching.isEmpty else { continue }
            throw UnknownFilterValue(field: field, typed: typed, suggestions: NameFilter.closest(to: typed, in: known),
                                     knownCount: known.count, someKnown: known.prefix(5).map(\.name))
        }
    }
}
