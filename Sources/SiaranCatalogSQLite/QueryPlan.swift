import Foundation
import GRDB
import SiaranCore
import SiaranSearch

// Turning a query's filters and terms into what the scan needs: an id range and context tokens for
// the filters, document frequencies for scoring, completions for prefix*.
extension SQLiteCatalog {
    /// How many words a prefix* stands for at most: its most frequent completions.
    static let prefixExpansions = 16

    /// The most frequent exact words that begin with `prefix`.
    static func completions(of prefix: String, in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT token FROM term WHERE column = 0 AND token >= ? AND token < ? ORDER BY docs DESC LIMIT \(prefixExpansions)",
                            arguments: [prefix, prefix + "\u{10FFFF}"])
    }

    /// Where a search may look: session filters as a row-id range (plus the exact session set when the
    /// range is wider), speaker and agenda filters as `ctx` tokens.
    struct Scope {
        var range: ClosedRange<Int64>?
        var sessions: Set<Int64>?
        var contextFilter = ""
        /// Only rows of these kinds (nil: all).
        var kinds: Set<MatchKind>?

        /// Whether rows of the session numbered `number` may be hits.
        func allows(_ number: Int64) -> Bool { sessions?.contains(number) ?? true }
        /// Whether rows of this kind may be hits.
        func allows(_ kind: MatchKind) -> Bool { kinds?.contains(kind) ?? true }

        /// False when the filters leave nothing to search.
        mutating func resolve(_ filters: SearchFilters, in db: Database, analyzer: TextAnalyzer) throws -> Bool {
            kinds = filters.kinds
            if let kinds, kinds.isEmpty { return false }
            if filters.session != nil || filters.since != nil || filters.until != nil || filters.topic != nil {
                var sql = " FROM session WHERE 1"
                var arguments: [any DatabaseValueConvertible] = []
                if let id = filters.session { sql += " AND id = ?"; arguments.append(id) }
                if let since = filters.since { sql += " AND startedAt >= ?"; arguments.append(since.timeIntervalSince1970) }
                if let until = filters.until { sql += " AND startedAt < ?"; arguments.append(until.timeIntervalSince1970) }
                if let topic = filters.topic {
                    let stems = analyzer.tokens(topic).map(\.stem)
                    guard !stems.isEmpty else { return false }
                    for stem in stems {
                        sql += " AND number IN (SELECT session FROM topic WHERE stem = ?)"
                        arguments.append(stem)
                    }
                }
                // One aggregate row: the id range, and whether the chosen sessions fill it.
                let aggregate = "SELECT count(*) AS n, min(firstDoc) AS low, max(lastDoc) AS high, sum(lastDoc - firstDoc + 1) AS covered" + sql
                guard let row = try Row.fetchOne(db.cachedStatement(sql: aggregate), arguments: StatementArguments(arguments)),
                      (row["n"] as Int64) > 0, let low = row["low"] as Int64?, let high = row["high"] as Int64? else { return false }
                range = low...high
                if (row["covered"] as Int64) < high - low + 1 {
                    sessions = Set(try Int64.fetchAll(db, sql: "SELECT number" + sql, arguments: StatementArguments(arguments)))
                }
            }
            for (kind, typed, prefix) in [("speaker", filters.speaker, "s"), ("agenda", filters.agenda, "a")] {
                guard let typed else { continue }
                // Whole words of the name or an alias (`NameFilter`, as every engine filters).
                let numbers = try Row.fetchAll(db, sql: "SELECT number, name, aliases FROM label WHERE kind = ?", arguments: [kind])
                    .filter { NameFilter.matches(typed, SQLiteCatalog.knownName($0)) }.map { $0["number"] as Int64 }
                guard !numbers.isEmpty else { return false }
                contextFilter += " AND (" + numbers.map { "\"\(SQLiteCatalog.contextMarker)\(prefix)\($0)\"" }.joined(separator: " OR ") + ")"
            }
            return true
        }
    }

    /// Inverse document frequencies from the term table.
    struct IDF {
        let db: Database
        let total: Double
        let analyzer: TextAnalyzer

        func docs(_ token: String, column: Int) throws -> Double {
            Double(try Int64.fetchOne(db.cachedStatement(sql: "SELECT docs FROM term WHERE column = ? AND token = ?"), arguments: [column, token]) ?? 0)
        }

        func idf(_ docs: Double) -> Double { Ranking.inverseDocumentFrequency(docs: docs, total: total) }

        func of(_ term: SearchQuery.Term) throws -> Double {
            switch term {
            case let .word(w): return idf(try docs(analyzer.stem(w), column: 1))
            case let .phrase(parts): return try parts.reduce(0) { $0 + idf(try docs(analyzer.stem($1), column: 1)) }
            case .prefix: return Ranking.prefixWeight
            }
        }
    }

    /// Every way of picking one alternative per clause (the parser keeps this to at most
    /// `SearchQuery.maximumCombinations`).
    static func combinations(_ clauses: [[SearchQuery.Term]]) -> [[SearchQuery.Term]] {
        clauses.reduce([[]]) { partial, alternatives in partial.flatMap { prefix in alternatives.map { prefix + [$0] } } }
    }
}
