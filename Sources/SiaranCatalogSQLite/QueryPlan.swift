import Foundation
import GRDB
import SiaranCore
import SiaranSearch

// Turning a query's filters and terms into what the scan needs: an id range and context tokens for
// the filters, completions for prefix*.
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

        /// Whether rows of the session numbered `number` may be hits.
        func allows(_ number: Int64) -> Bool { sessions?.contains(number) ?? true }

        /// False when the scope leaves nothing to search.
        mutating func resolve(_ scope: CandidateScope, in db: Database) throws -> Bool {
            if scope.session != nil || scope.since != nil || scope.until != nil || scope.topicStems != nil {
                var sql = " FROM session WHERE 1"
                var arguments: [any DatabaseValueConvertible] = []
                if let id = scope.session { sql += " AND id = ?"; arguments.append(id) }
                if let since = scope.since { sql += " AND startedAt >= ?"; arguments.append(since.timeIntervalSince1970) }
                if let until = scope.until { sql += " AND startedAt < ?"; arguments.append(until.timeIntervalSince1970) }
                for stem in scope.topicStems ?? [] {
                    sql += " AND number IN (SELECT session FROM topic WHERE stem = ?)"
                    arguments.append(stem)
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
            for (numbers, prefix) in [(scope.speakers, "s"), (scope.agendas, "a")] {
                guard let numbers else { continue }
                guard !numbers.isEmpty else { return false }
                contextFilter += " AND (" + numbers.map { "\"\(SQLiteCatalog.contextMarker)\(prefix)\($0)\"" }.joined(separator: " OR ") + ")"
            }
            return true
        }
    }
}
