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

    /// Exact indexed words within `maxDistance` edits of `word`, measured by `EditDistance`. Typos
    /// rarely touch a word's first letter (Meilisearch counts one there as two), so the words that
    /// begin with its first or second letter are read (two ranges of the term table's key:
    /// milliseconds); only for a long word (two typos allowed) with no such neighbour is every word
    /// of a near length read.
    func similarWords(to word: String, maxDistance: Int, limit: Int, in db: Database) throws -> [IndexedWord] {
        let letters = word.unicodeScalars.count
        var starts: [String] = []
        for scalar in word.unicodeScalars.prefix(2) where !starts.contains(String(scalar)) { starts.append(String(scalar)) }
        var found: [IndexedWord] = []
        for start in starts {
            found += try scanVocabulary(sql: "SELECT token, docs FROM term WHERE column = 0 AND token >= ? AND token < ? AND length(token) BETWEEN ? AND ?",
                                        arguments: [start, start + "\u{10FFFF}", letters - maxDistance, letters + maxDistance],
                                        near: word, maxDistance: maxDistance, in: db)
        }
        if found.isEmpty && maxDistance >= 2 {
            found = try scanVocabulary(sql: "SELECT token, docs FROM term WHERE column = 0 AND length(token) BETWEEN ? AND ?",
                                       arguments: [letters - maxDistance, letters + maxDistance], near: word, maxDistance: maxDistance, in: db)
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.rows != $1.rows ? $0.rows > $1.rows : $0.word < $1.word }
        return Array(found.prefix(limit))
    }

    /// The words `sql` reads (token, docs) within `maxDistance` of `word`. Folded words are compared
    /// by their UTF-8 bytes, read from SQLite without making strings.
    private func scanVocabulary(sql: String, arguments: StatementArguments, near word: String, maxDistance: Int,
                                in db: Database) throws -> [IndexedWord] {
        let target = Array(word.utf8)
        var measurer = EditDistance.Measurer()
        var found: [IndexedWord] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            guard let bytes = row.dataNoCopy(atIndex: 0) else { continue }
            let distance = bytes.withUnsafeBytes { raw in
                measurer.distance(target, UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress, count: raw.count), limit: maxDistance)
            }
            guard let distance, distance > 0 else { continue }
            found.append(IndexedWord(word: String(decoding: bytes, as: UTF8.self), rows: row[1], distance: distance))
        }
        return found
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
