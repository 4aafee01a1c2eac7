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
        // Folded words are compared by their UTF-8 bytes, read from SQLite without making strings
        // (a vocabulary of 60,000 words is scanned in a few milliseconds).
        let target = Array(word.utf8)
        let statement = try db.cachedStatement(sql: "SELECT token, docs FROM term WHERE column = 0 AND length(token) BETWEEN ? AND ?")
        var measurer = EditDistance.Measurer()
        var found: [IndexedWord] = []
        let rows = try Row.fetchCursor(statement, arguments: [word.unicodeScalars.count - maxDistance, word.unicodeScalars.count + maxDistance])
        while let row = try rows.next() {
            guard let bytes = row.dataNoCopy(atIndex: 0) else { continue }
            let distance = bytes.withUnsafeBytes { raw in
                measurer.distance(target, UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: raw.count), limit: maxDistance)
            }
            guard let distance, distance > 0 else { continue }
            found.append(IndexedWord(word: String(decoding: bytes, as: UTF8.self), rows: row[1], distance: distance))
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
