import Foundation
import Logging
import PostgresNIO
import SiaranSearch

// Searching, as the SQLite catalog searches (see its `CatalogSearch.swift`), so that both engines
// return the same hits in the same order: for each combination of matched alternatives, exact and
// then by stem, the newest matching rows (ids count up: `ORDER BY id DESC`, a page at a time) up to
// `limit` for captions and `limit * 4 + 20` for the other rows; a session that has given its share
// is skipped; phrases are checked in the stored text. The candidates are then scored by `Ranking`
// in Swift, crowded and cut to `limit`. No query scores every matching row.
extension PostgresCatalog {
    func search(_ query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date,
                on connection: PostgresConnection) async throws -> [SearchHit] {
        let cap = filters.session == nil ? perSession.flatMap { $0 > 0 ? $0 : nil } : nil
        guard let scope = try await PostgresScope.resolve(filters, catalog: self, on: connection) else { return [] }
        var run = try await PostgresQueryRun(query, scope: scope, limit: limit, catalog: self, connection: connection)
        if try await run.gather(perSession: cap), run.best.count < limit { _ = try await run.gather(perSession: nil) }
        return try await run.hits(now: now, perSession: cap)
    }
}

/// One search over the shared catalog: its plan and the candidates gathered so far.
struct PostgresQueryRun {
    let query: SearchQuery
    let scope: PostgresScope
    let limit: Int
    let catalog: PostgresCatalog
    let connection: PostgresConnection
    let total: Double
    let completions: [String: [String]]
    /// Excluded words and prefixes, as a tsquery suffix; excluded phrases are checked in the text.
    let excludedQuery: String
    let excludedPhrases: [[String]]
    let combinations: [[SearchQuery.Term]]
    /// Whether rows of more than one office may match (then office crowding applies).
    let crowdsOffices: Bool
    private(set) var best: [Int64: Double] = [:]
    /// Sessions met, by number: their first row id and their office.
    private var sessions: [Int64: Int64] = [:]
    private var offices: [Int64: String] = [:]

    /// How many matching rows one part of a search reads at most (as the SQLite scan).
    static let maximumScanned = 20_000
    static let prefixExpansions = 16

    init(_ query: SearchQuery, scope: PostgresScope, limit: Int, catalog: PostgresCatalog, connection: PostgresConnection) async throws {
        self.query = query
        self.scope = scope
        self.limit = limit
        self.catalog = catalog
        self.connection = connection
        // The row ids handed out by the offices this connection sees (all of them for the owner).
        var numbered: Int64 = 0, indexing: Int64 = 0
        let counted = try await connection.query("""
            SELECT coalesce(sum(numbered), 0)::bigint, count(*) FILTER (WHERE numbered > 0)
            FROM office WHERE NOT row_security_active('term') OR siaran_sees_office(name)
            """, logger: catalog.logger)
        for try await (value, offices) in counted.decode((Int64, Int64).self) { (numbered, indexing) = (value, offices) }
        total = Double(max(1, numbered))
        crowdsOffices = indexing > 1 && scope.office == nil
        var completions: [String: [String]] = [:]
        for case let .prefix(p) in query.clauses.joined() + query.excluded where completions[p] == nil {
            var words: [String] = []
            let rows = try await connection.query("""
                SELECT token FROM term WHERE exact AND token >= \(p) AND token < \(p + "\u{10FFFF}")
                GROUP BY token ORDER BY sum(docs) DESC, token LIMIT \(Self.prefixExpansions)
                """, logger: catalog.logger)
            for try await word in rows.decode(String.self) { words.append(word) }
            completions[p] = words
        }
        self.completions = completions
        combinations = query.clauses.reduce([[]]) { partial, alternatives in partial.flatMap { prefix in alternatives.map { prefix + [$0] } } }
        excludedPhrases = query.excluded.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } }
        let parts = query.excluded.filter { if case .phrase = $0 { return false } else { return true } }
            .compactMap { PostgresTokens.of($0, exactOnly: false, completions: completions, analyzer: catalog.analyzer) }
        excludedQuery = parts.isEmpty ? "" : " & !(" + parts.joined(separator: " | ") + ")"
    }

    func docs(_ stem: String) async throws -> Double {
        var docs: Int64 = 0
        for try await n in try await connection.query("SELECT coalesce(sum(docs), 0)::bigint FROM term WHERE NOT exact AND token = \(stem)", logger: catalog.logger)
            .decode(Int64.self) { docs = n }
        return Double(docs)
    }

    func weight(_ term: SearchQuery.Term) async throws -> Double {
        switch term {
        case let .word(w): return Ranking.inverseDocumentFrequency(docs: try await docs(catalog.analyzer.stem(w)), total: total)
        case let .phrase(parts):
            var sum = 0.0
            for part in parts { sum += Ranking.inverseDocumentFrequency(docs: try await docs(catalog.analyzer.stem(part)), total: total) }
            return sum
        case .prefix: return Ranking.prefixWeight
        }
    }

    /// Gathers candidates into `best`, at most `perSession` rows of a session per query; whether some
    /// session had more.
    mutating func gather(perSession: Int?) async throws -> Bool {
        var capped = false
        // Human captions and machine-transcript lines weigh differently: each is read on its own,
        // newest first (as the SQLite catalog does), so neither crowds the other off the page.
        let captionPasses = scope.kinds(captions: true).map { ([$0], true, limit) }
        let otherPass = (scope.kinds(captions: false), false, limit * 4 + 20)
        for (kinds, captions, fetch) in captionPasses + [otherPass] {
            if kinds.isEmpty { continue }
            for combination in combinations {
                var weight = 0.0
                for term in combination { weight += try await self.weight(term) }
                var exactFilled = false
                for exact in [true, false] {
                    if exact && !combination.contains(where: { if case .prefix = $0 { return false } else { return true } }) { continue }
                    if !exact && exactFilled && captions { continue }
                    guard let found = try await collect(kinds: kinds, combination: combination, exact: exact, want: fetch,
                                                        perSession: perSession, capped: &capped) else { continue }
                    if exact && found.count >= fetch { exactFilled = true }
                    let score = weight * (exact ? Ranking.exactFactor : 1)
                    for id in found where (best[id] ?? 0) < score { best[id] = score }
                }
            }
        }
        return capped
    }

    /// The newest rows of these kinds that hold `combination`; nil when a part of it can match nothing.
    private mutating func collect(kinds: [Int16], combination: [SearchQuery.Term], exact: Bool, want: Int, perSession: Int?,
                                  capped: inout Bool) async throws -> [Int64]? {
        let parts = combination.map { PostgresTokens.of($0, exactOnly: exact, completions: completions, analyzer: catalog.analyzer) }
        if parts.contains(where: { $0 == nil }) { return nil }
        let tsquery = "(" + parts.map { $0! }.joined(separator: " & ") + ")" + excludedQuery
        let phrases = combination.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } }
        let needsText = !phrases.isEmpty || !excludedPhrases.isEmpty
        var found: [Int64] = []
        var taken: [Int64: Int] = [:]
        // Office crowding while gathering (with session crowding): a busy office's rows beyond its
        // share wait for the second pass, so other offices' rows are among the candidates.
        let perOffice = perSession == nil || !crowdsOffices ? nil : Ranking.officeShare(of: want)
        var byOffice: [String: Int] = [:]
        var skipping: Int64?
        var before = Int64.max
        var scanned = 0
        let page = want + 8
        scanning: while found.count < want && scanned < Self.maximumScanned {
            var query = PostgresQuery(unsafeSQL: "SELECT id, session, text FROM entry WHERE tokens @@ $1::tsquery AND kind = ANY($2) AND id < $3")
            query.binds.append(tsquery)
            query.binds.append(kinds)
            query.binds.append(before)
            scope.narrow(&query)
            query.sql += " ORDER BY id DESC LIMIT \(page)"
            var rows: [(Int64, Int64, String)] = []
            for try await row in try await connection.query(query, logger: catalog.logger).decode((Int64, Int64, String).self) { rows.append(row) }
            try await learnSessions(rows.map(\.1))
            for (id, session, text) in rows {
                if skipping == session { continue }
                skipping = nil
                scanned += 1
                if let perSession, taken[session, default: 0] >= perSession {
                    capped = true
                    skipping = session
                    continue
                }
                let office = offices[session] ?? ""
                if let perOffice, byOffice[office, default: 0] >= perOffice {
                    capped = true
                    continue
                }
                if needsText, !holdsPhrases(text, phrases: phrases, exact: exact) { continue }
                taken[session, default: 0] += 1
                byOffice[office, default: 0] += 1
                found.append(id)
                if found.count == want { break scanning }
            }
            guard rows.count == page, let last = rows.last?.0 else { break }
            // Still inside a skipped session: the next page starts below its first row.
            before = skipping.flatMap { sessions[$0] }.map { min(last, $0) } ?? last
        }
        return found
    }

    private mutating func learnSessions(_ numbers: [Int64]) async throws {
        let unknown = Array(Set(numbers.filter { sessions[$0] == nil }))
        guard !unknown.isEmpty else { return }
        let rows = try await connection.query("SELECT number, first_doc, office FROM session WHERE number = ANY(\(unknown))", logger: catalog.logger)
        for try await (number, first, office) in rows.decode((Int64, Int64, String).self) {
            sessions[number] = first
            offices[number] = office
        }
    }

    /// Whether the text holds every wanted phrase in order and no excluded one.
    private func holdsPhrases(_ text: String, phrases: [[String]], exact: Bool) -> Bool {
        let analyzer = catalog.analyzer
        let words = analyzer.words(text)
        var stems: [String]?
        func holds(_ phrase: [String], exact: Bool) -> Bool {
            if exact { return Self.contains(words, phrase) }
            if stems == nil { stems = words.map(analyzer.stem) }
            return Self.contains(stems!, phrase.map(analyzer.stem))
        }
        return phrases.allSatisfy { holds($0, exact: exact) } && !excludedPhrases.contains { holds($0, exact: false) }
    }

    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return phrase.isEmpty }
        return (0...(words.count - phrase.count)).contains { start in phrase.indices.allSatisfy { words[start + $0] == phrase[$0] } }
    }

    /// The candidates ranked (`Ranking`), crowded, cut to `limit`, with snippets.
    func hits(now: Date, perSession cap: Int?) async throws -> [SearchHit] {
        guard !best.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT e.id, s.id, s.title, s.started_at, e.kind, e.start, e.text, sp.name, ag.name, s.office, o.media_url
            FROM entry e JOIN session s ON s.number = e.session JOIN office o ON o.name = s.office
            LEFT JOIN label sp ON sp.number = e.speaker LEFT JOIN label ag ON ag.number = e.agenda
            WHERE e.id = ANY(\(Array(best.keys)))
            """, logger: catalog.logger)
        var scored: [(score: Double, id: Int64, hit: SearchHit)] = []
        for try await (id, session, title, startedAt, kind, start, text, speaker, agenda, office, mediaURL)
            in rows.decode((Int64, String, String, Double, Int16, Double, String, String?, String?, String, String?).self) {
            let kind = MatchKind(rawValue: Int(kind)) ?? .note
            let date = Date(timeIntervalSince1970: startedAt)
            let score = Ranking.score(matchWeight: best[id] ?? 0, kind: kind, sessionStartedAt: date, now: now)
            scored.append((score, id, SearchHit(session: session, title: title, date: date, seconds: start, speaker: speaker, agenda: agenda,
                                                matched: kind, text: text, snippet: "", score: score, office: office, playFrom: mediaURL)))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.id > $1.id }
        if let cap {
            scored = Ranking.crowded(scored, perSession: cap) { $0.hit.session }
            scored = Ranking.crowdedByOffice(scored, limit: limit) { $0.hit.office }
        }
        let highlighter = Highlighter(query, analyzer: catalog.analyzer)
        return scored.prefix(limit).map { item in
            var hit = item.hit
            hit.snippet = highlighter.snippet(hit.text)
            return hit
        }
    }
}
