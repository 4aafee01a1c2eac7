import Foundation
import GRDB
import SiaranArchive
import SiaranCore
import SiaranSearch

// Searching: every engine ranks by `Ranking`; this one reads as little of the index as that allows.
//
// Within one combination of matched alternatives, exactness and kind, a hit's score only grows with
// recency, and full-text row ids count down (newest first); so the newest `limit` rows of each
// combination (a MATCH with `ORDER BY rowid`, which FTS5 answers without visiting older rows) hold the
// whole top `limit`. No query scores every matching row. Phrases are matched as all their words, then
// checked in the row's text, newest first, until enough rows pass.
//
// Crowding: the scan skips a session once it has given `perSession` rows, so crowding costs one more
// full-text query per session shown.
extension SQLiteCatalog {
    func search(_ query: SearchQuery, filters: SearchFilters, limit: Int, perSession: Int?, now: Date, in db: Database) throws -> [SearchHit] {
        let cap = filters.session == nil ? perSession.flatMap { $0 > 0 ? $0 : nil } : nil
        var scope = Scope()
        guard try scope.resolve(filters, in: db, analyzer: analyzer) else { return [] }
        var run = try CatalogQuery(query, scope: scope, limit: limit, catalog: self, db: db)
        // With a cap, the first round gathers from many sessions; when it runs out of rows before
        // filling the page (the words are in few sessions), a second round without the cap fills it.
        if try run.gather(perSession: cap), run.best.count < limit { _ = try run.gather(perSession: nil) }
        return try run.hits(now: now, perSession: cap)
    }
}

/// One search over the catalog: its plan (scope, MATCH expressions per combination of alternatives)
/// and the candidates gathered so far.
struct CatalogQuery {
    let query: SearchQuery
    let scope: SQLiteCatalog.Scope
    let limit: Int
    let catalog: SQLiteCatalog
    let db: Database
    let idf: SQLiteCatalog.IDF
    let rows: SQLiteCatalog.RowReader
    /// prefix* as its most frequent completions: plain doclists that FTS5 reads lazily, instead of a
    /// merge of every matching term.
    let completions: [String: [String]]
    /// Excluded words and prefixes, as a MATCH suffix; excluded phrases are checked in the text.
    let excludedMatch: String
    let excludedPhrases: [[String]]
    let combinations: [[SearchQuery.Term]]
    /// Whether any caption file indexed is a machine transcript.
    let hasTranscripts: Bool
    /// Candidate rows and their match weight (before kind and recency).
    private(set) var best: [Int64: Double] = [:]

    init(_ query: SearchQuery, scope: SQLiteCatalog.Scope, limit: Int, catalog: SQLiteCatalog, db: Database) throws {
        self.query = query
        self.scope = scope
        self.limit = limit
        self.catalog = catalog
        self.db = db
        let total = Double(max(1, (try Int64.fetchOne(db, sql: "SELECT nextDoc FROM counter") ?? 1) - 1))
        idf = SQLiteCatalog.IDF(db: db, total: total, analyzer: catalog.analyzer)
        rows = SQLiteCatalog.RowReader(db: db, folder: catalog.folder)
        var completions: [String: [String]] = [:]
        for case let .prefix(p) in query.clauses.joined() + query.excluded where completions[p] == nil {
            completions[p] = try SQLiteCatalog.completions(of: p, in: db)
        }
        self.completions = completions
        combinations = SQLiteCatalog.combinations(query.clauses)
        hasTranscripts = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM caption_file WHERE path = ? OR path LIKE ?)",
                                           arguments: [Archive.machineTranscriptName, "%/" + Archive.machineTranscriptName]) ?? false
        excludedPhrases = query.excluded.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } }
        let exclusions = query.excluded.filter { if case .phrase = $0 { return false } else { return true } }
        let parts = exclusions.compactMap { Self.expression($0, exactOnly: false, completions: completions, analyzer: catalog.analyzer) }
        excludedMatch = parts.isEmpty ? "" : " NOT (" + parts.joined(separator: " OR ") + ")"
    }

    static func expression(_ term: SearchQuery.Term, exactOnly: Bool, completions: [String: [String]], analyzer: TextAnalyzer) -> String? {
        if case let .prefix(p) = term {
            guard let words = completions[p], !words.isEmpty else { return nil }
            return "(" + words.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
        }
        return MatchExpression.of(term, exactOnly: exactOnly, analyzer: analyzer)
    }

    /// Gathers candidates into `best`, taking at most `perSession` rows of a session from each
    /// full-text query; whether some session had more.
    mutating func gather(perSession: Int?) throws -> Bool {
        var capped = false
        // Human captions and machine-transcript lines weigh differently: each is read on its own
        // (newest first), so neither crowds the other off the page.
        var passes: [(table: String, fetch: Int, part: String)] = []
        let allowed = scope.kinds ?? Set(MatchKind.allCases)
        if hasTranscripts {
            if allowed.contains(.caption) { passes.append(("caption_fts", limit, " NOT \"\(SQLiteCatalog.machineToken)\"")) }
            if allowed.contains(.transcript) { passes.append(("caption_fts", limit, " AND \"\(SQLiteCatalog.machineToken)\"")) }
        } else if allowed.contains(.caption) {
            passes.append(("caption_fts", limit, ""))
        }
        if !allowed.subtracting([.caption, .transcript]).isEmpty { passes.append(("meta_fts", limit * 4 + 20, "")) }
        for (table, fetch, part) in passes {
            for combination in combinations {
                let weight = try combination.reduce(0.0) { $0 + (try idf.of($1)) }
                var exactFilled = false
                for exact in [true, false] {
                    if exact && !combination.contains(where: { if case .prefix = $0 { return false } else { return true } }) { continue }
                    // Captions all weigh the same, and an exact match counts twice: when exact
                    // matches fill the page, no stem-only caption match can reach it.
                    if !exact && exactFilled && table == "caption_fts" { continue }
                    guard let found = try collect(table: table, combination: combination, exact: exact, want: fetch, part: part,
                                                  perSession: perSession, capped: &capped) else { continue }
                    if exact && found.count >= fetch { exactFilled = true }
                    let score = weight * (exact ? Ranking.exactFactor : 1)
                    for id in found where (best[id] ?? 0) < score { best[id] = score }
                }
            }
        }
        return capped
    }

    /// The newest rows of `table` that hold `combination` (exactly, or by stem); nil when a part of
    /// it can match nothing.
    private func collect(table: String, combination: [SearchQuery.Term], exact: Bool, want: Int, part: String, perSession: Int?,
                         capped: inout Bool) throws -> [Int64]? {
        let parts = combination.map { Self.expression($0, exactOnly: exact, completions: completions, analyzer: catalog.analyzer) }
        if parts.contains(where: { $0 == nil }) { return nil }
        let match = "(" + parts.map { $0! }.joined(separator: " AND ") + ")\(scope.contextFilter)\(part)" + excludedMatch
        let phrases = combination.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } }
        let needsText = !phrases.isEmpty || !excludedPhrases.isEmpty
        var taken: [Int64: Int] = [:]
        var sessionCapped = false
        let found = try SQLiteCatalog.collect(table: table, match: match, scope: scope, want: want, in: db) { id in
            guard let entry = try rows.entry(id), scope.allows(entry.session.number), scope.allows(entry.kind) else { return .skip }
            if let perSession, taken[entry.session.number, default: 0] >= perSession {
                sessionCapped = true
                return .skipSession(firstID: entry.session.range.lowerBound)
            }
            if needsText, try !holdsPhrases(entry, phrases: phrases, exact: exact) { return .skip }
            taken[entry.session.number, default: 0] += 1
            return .take
        }
        if sessionCapped { capped = true }
        return found
    }

    /// Whether the row's text holds every wanted phrase in order and no excluded one.
    private func holdsPhrases(_ entry: SQLiteCatalog.RowReader.Entry, phrases: [[String]], exact: Bool) throws -> Bool {
        let analyzer = catalog.analyzer
        let words = analyzer.words(try rows.text(of: entry))
        var stems: [String]?
        func holds(_ phrase: [String], exact: Bool) -> Bool {
            if exact { return SQLiteCatalog.contains(words, phrase) }
            if stems == nil { stems = words.map(analyzer.stem) }
            return SQLiteCatalog.contains(stems!, phrase.map(analyzer.stem))
        }
        return phrases.allSatisfy { holds($0, exact: exact) } && !excludedPhrases.contains { holds($0, exact: false) }
    }

    /// The candidates ranked (`Ranking`), crowded, cut to `limit`, with snippets.
    func hits(now: Date, perSession cap: Int?) throws -> [SearchHit] {
        guard !best.isEmpty else { return [] }
        var scored: [(score: Double, id: Int64, entry: SQLiteCatalog.RowReader.Entry)] = []
        for (id, base) in best {
            guard let entry = try rows.entry(id) else { continue }
            let score = Ranking.score(matchWeight: base, kind: entry.kind,
                                      sessionStartedAt: Date(timeIntervalSince1970: entry.session.startedAt), now: now)
            scored.append((score, id, entry))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.id > $1.id }
        if let cap { scored = Ranking.crowded(scored, perSession: cap) { $0.entry.session.id } }
        let highlighter = Highlighter(query, analyzer: catalog.analyzer)
        return try scored.prefix(limit).map { score, _, entry in
            let text = try rows.text(of: entry)
            return SearchHit(session: entry.session.id, title: entry.session.title,
                             date: Date(timeIntervalSince1970: entry.session.startedAt), seconds: entry.start,
                             speaker: try rows.label(entry.speaker), agenda: try rows.label(entry.agenda),
                             matched: entry.kind, text: text, snippet: highlighter.snippet(text), score: score)
        }
    }
}
