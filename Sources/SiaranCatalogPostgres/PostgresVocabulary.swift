import Foundation
import PostgresNIO
import SiaranSearch

// What the shared catalog knows beyond its rows: its vocabulary (for "did you mean") and the names its
// filters accept.
extension PostgresCatalog {
    /// Exact indexed words within `maxDistance` edits of `word` (`EditDistance`, measured here on the
    /// words of a near length), most frequent first.
    func similarWords(to word: String, maxDistance: Int, limit: Int, on connection: PostgresConnection) async throws -> [IndexedWord] {
        let target = Array(word.utf8)
        let length = word.unicodeScalars.count
        var measurer = EditDistance.Measurer()
        var found: [IndexedWord] = []
        let rows = try await counted("""
            SELECT token, sum(exact_docs)::bigint FROM term WHERE exact_docs > 0 AND length(token) BETWEEN \(length - maxDistance) AND \(length + maxDistance)
            GROUP BY token
            """, on: connection)
        for try await (token, docs) in rows.decode((String, Int64).self) {
            guard let distance = measurer.distance(target, Array(token.utf8), limit: maxDistance), distance > 0 else { continue }
            found.append(IndexedWord(word: token, rows: Int(docs), distance: distance))
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.rows != $1.rows ? $0.rows > $1.rows : $0.word < $1.word }
        return Array(found.prefix(limit))
    }

    /// Rows holding `word` exactly or by its stem.
    func rows(holding word: String, on connection: PostgresConnection) async throws -> Int {
        var exact: Int64 = 0, stem: Int64 = 0
        let rows = try await counted("""
            SELECT coalesce(sum(exact_docs) FILTER (WHERE token = \(word)), 0)::bigint, coalesce(sum(stem_docs) FILTER (WHERE token = \(analyzer.stem(word))), 0)::bigint
            FROM term WHERE token IN (\(word), \(analyzer.stem(word)))
            """, on: connection)
        for try await (x, s) in rows.decode((Int64, Int64).self) { exact = x; stem = s }
        return Int(max(exact, stem))
    }

    /// Speakers (with their aliases) and agenda items from the labels; topics from the topic rows.
    func knownNames(_ field: FilterField, on connection: PostgresConnection) async throws -> [KnownName] {
        var names: [KnownName] = []
        switch field {
        case .speaker, .agenda:
            // One name per label, its aliases gathered from every office it is known in.
            let rows = try await counted("SELECT name, aliases FROM label WHERE kind = \(field.rawValue) ORDER BY name, office", on: connection)
            for try await (name, aliases) in rows.decode((String, [String]).self) {
                if names.last?.name == name {
                    for alias in aliases where !names[names.count - 1].aliases.contains(alias) { names[names.count - 1].aliases.append(alias) }
                } else {
                    names.append(KnownName(name: name, aliases: aliases))
                }
            }
        case .topic:
            let rows = try await counted("SELECT DISTINCT text FROM entry WHERE kind = \(Int16(MatchKind.topic.rawValue)) ORDER BY text", on: connection)
            for try await text in rows.decode(String.self) { names.append(KnownName(name: text)) }
        }
        return names
    }
}
