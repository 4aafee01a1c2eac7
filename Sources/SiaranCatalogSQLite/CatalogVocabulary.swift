import Foundation
import GRDB
import SiaranSearch

// What the catalog knows beyond its rows: its vocabulary (for "did you mean") and the names its
// filters accept (speakers with their aliases, agenda items, topics).
extension SQLiteCatalog {
    /// A `label` row as a filter name; aliases are stored one per line.
    static func knownName(_ row: Row) -> KnownName {
        let aliases: String = row["aliases"] ?? ""
        return KnownName(name: row["name"], aliases: aliases.split(separator: "\n").map(String.init))
    }

    /// Exact indexed words within `maxDistance` edits of `word`: every word of a near length is read
    /// from the term table (one index range scan; tens of thousands of words take milliseconds) and
    /// measured by `EditDistance`.
    func similarWords(to word: String, maxDistance: Int, limit: Int, in db: Database) throws -> [IndexedWord] {
        let target = Array(word.unicodeScalars)
        let statement = try db.cachedStatement(sql: "SELECT token, docs FROM term WHERE column = 0 AND length(token) BETWEEN ? AND ?")
        var found: [IndexedWord] = []
        let rows = try Row.fetchCursor(statement, arguments: [target.count - maxDistance, target.count + maxDistance])
        while let row = try rows.next() {
            let token: String = row["token"]
            guard token != word, let distance = EditDistance.between(target, Array(token.unicodeScalars), limit: maxDistance) else { continue }
            found.append(IndexedWord(word: token, rows: row["docs"], distance: distance))
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.rows != $1.rows ? $0.rows > $1.rows : $0.word < $1.word }
        return Array(found.prefix(limit))
    }

    /// Rows holding `word` exactly or by its stem.
    func rows(holding word: String, in db: Database) throws -> Int {
        let sql = "SELECT docs FROM term WHERE column = ? AND token = ?"
        let exact = try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [0, word]) ?? 0
        let stem = try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [1, analyzer.stem(word)]) ?? 0
        return max(exact, stem)
    }

    /// The names a filter accepts, from the labels of indexed rows (speakers, agenda items) or the
    /// topic tags.
    func knownNames(_ field: FilterField, in db: Database) throws -> [KnownName] {
        switch field {
        case .speaker, .agenda:
            return try Row.fetchAll(db, sql: "SELECT name, aliases FROM label WHERE kind = ? ORDER BY name", arguments: [field.rawValue])
                .map(Self.knownName)
        case .topic:
            return try String.fetchAll(db, sql: "SELECT DISTINCT text FROM doc WHERE kind = ? ORDER BY text", arguments: [MatchKind.topic.rawValue])
                .map { KnownName(name: $0) }
        }
    }
}
