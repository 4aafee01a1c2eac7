import Foundation

/// Runs search plans against an index, asking their probes together: an engine that batches
/// (`SearchIndex.batchesProbes`, a networked one) is asked everything a plan may need in one call,
/// the uncapped probes included; an in-process engine is asked only what the answers so far leave
/// needed (a few calls, less reading).
struct PlanRunner {
    let index: any SearchIndex
    let vocabulary: Vocabulary
    let viewer: String?
    let analyzer = TextAnalyzer()

    /// The hits of each plan (nil plans: none).
    func run(_ plans: [SearchPlan?], now: Date) async throws -> [[SearchHit]] {
        let batch = index.batchesProbes
        var capped = [[Int: CandidateList]](repeating: [:], count: plans.count)
        var uncapped = capped
        try await ask(plans.indices.flatMap { p -> [(Int, Bool, Int)] in
            guard let plan = plans[p] else { return [] }
            let slots = batch ? Array(plan.slots.indices) : plan.missing([:])
            return slots.map { (p, true, $0) } + (batch && plan.cap != nil ? plan.slots.indices.map { (p, false, $0) } : [])
        }, plans, &capped, &uncapped)
        // Caption matches by stem that the exact ones did not make unneeded.
        while true {
            let more = plans.indices.flatMap { p in (plans[p]?.missing(capped[p]) ?? []).map { (p, true, $0) } }
            if more.isEmpty { break }
            try await ask(more, plans, &capped, &uncapped)
        }
        var best = [[Int64: (weight: Double, row: Candidate)]](repeating: [:], count: plans.count)
        var short: [Int] = []
        for (p, plan) in plans.enumerated() {
            guard let plan else { continue }
            if plan.merge(capped[p], into: &best[p]), plan.cap != nil, best[p].count < plan.limit { short.append(p) }
        }
        // Crowding left a page short (the words are in few sessions): the same probes without the cap.
        if !batch {
            while true {
                let more = short.flatMap { p in plans[p]!.missing(uncapped[p]).map { (p, false, $0) } }
                if more.isEmpty { break }
                try await ask(more, plans, &capped, &uncapped)
            }
        }
        for p in short { _ = plans[p]!.merge(uncapped[p], into: &best[p]) }
        return plans.indices.map { p in plans[p].map { $0.hits(best[p], now: now, analyzer: analyzer) } ?? [] }
    }

    /// Asks the index for these (plan, capped, slot) probes at once and files the answers.
    private func ask(_ asked: [(Int, Bool, Int)], _ plans: [SearchPlan?], _ capped: inout [[Int: CandidateList]],
                     _ uncapped: inout [[Int: CandidateList]]) async throws {
        guard !asked.isEmpty else { return }
        let probes = asked.map { p, isCapped, slot in plans[p]!.probe(slot, capped: isCapped) }
        let lists = try await index.candidates(CandidateRequest(probes: probes, completions: vocabulary.completions, viewer: viewer))
        for ((p, isCapped, slot), list) in zip(asked, lists) {
            if isCapped { capped[p][slot] = list } else { uncapped[p][slot] = list }
        }
    }
}

extension SearchIndex {
    public func together<T: Sendable>(_ body: (any SearchIndex) async throws -> T) async throws -> T { try await body(self) }

    /// The best hits for `query`, best first (`SearchPlan`). `perSession`: crowding (see
    /// `Ranking.crowded`); nil or a search within one session ranks by score alone. Two calls to the
    /// index (its vocabulary, then every probe), a third when crowding left the page short on an
    /// engine that does not batch.
    public func search(_ query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date) async throws -> [SearchHit] {
        let vocabulary = try await self.vocabulary(VocabularyRequest([query], filters: filters))
        let plan = SearchPlan(query, filters: filters, limit: limit, perSession: perSession, vocabulary: vocabulary)
        return try await PlanRunner(index: self, vocabulary: vocabulary, viewer: filters.viewer).run([plan], now: now)[0]
    }

    public func search(_ query: SearchQuery, filters: SearchFilters = SearchFilters(), limit: Int = 20,
                       perSession: Int? = 3) async throws -> [SearchHit] {
        try await search(query, filters: filters, limit: limit, perSession: perSession, now: Date())
    }
}
