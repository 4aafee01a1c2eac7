import Foundation
import GRDB

// The paging scan over one full-text table: newest rows first, a page at a time, skipping the rest of
// a session that has given its share.
extension SQLiteCatalog {
    /// The newest (at most `want`) rows of `table` matching `match` that `accept` takes, reading the
    /// full-text index newest first in pages, and stopping after a bounded number of rows.
    static func collect(table: String, match: String, scope: Scope, want: Int, in db: Database,
                         accept: (Int64) throws -> Verdict) throws -> [Int64] {
        var found: [Int64] = []
        var after = scope.range.map { Self.ftsRowID($0.upperBound) - 1 } ?? Int64.min
        let before = scope.range.map { Self.ftsRowID($0.lowerBound) } ?? Int64.max
        let page = want + 8
        var scanned = 0
        // Rows of a session `accept` is done with: ids from this one down to the session's first.
        var skipping: Int64?
        scanning: while found.count < want && scanned < Self.maximumScanned && after < before {
            let statement = try db.cachedStatement(sql: "SELECT rowid FROM \(table) WHERE \(table) MATCH ? AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?")
            let rowids = try Int64.fetchAll(statement, arguments: [match, after, before, page])
            for rowid in rowids {
                let id = Self.ftsRowID(rowid)
                if let first = skipping {
                    if id >= first { continue }
                    skipping = nil
                }
                scanned += 1
                switch try accept(id) {
                case .take:
                    found.append(id)
                    if found.count == want { break scanning }
                case .skip:
                    break
                case let .skipSession(firstID):
                    skipping = firstID
                }
            }
            guard rowids.count == page, let last = rowids.last else { break }
            // Still inside a skipped session: the next query starts past it (row ids count down, so
            // its older rows are the rowids up to its first id's).
            after = skipping.map { max(last, Self.ftsRowID($0)) } ?? last
        }
        return found
    }

    /// What `collect` does with a matching row.
    enum Verdict {
        case take
        case skip
        /// Skip this row and every other row of its session (ids from `firstID` up to this one).
        case skipSession(firstID: Int64)
    }

    /// How many matching rows one part of a search reads at most while checking phrases or skipping
    /// rows that belong to no session.
    static let maximumScanned = 20_000

    /// Whether `words` hold `phrase` in order.
    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return phrase.isEmpty }
        return (0...(words.count - phrase.count)).contains { start in
            phrase.indices.allSatisfy { words[start + $0] == phrase[$0] }
        }
    }
}
