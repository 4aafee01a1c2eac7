import Foundation
import PostgresNIO
import SiaranSearch

// What the shared catalog knows beyond its rows: its vocabulary (for "did you mean") and the names its
// filters accept.
extension PostgresCatalog {
    /// Exact indexed words within `maxDistance` edits of `word` (`EditDistance`, measured here), most
    /// frequent first. Reads only the words that can be that near (`TypoNeighbours`): for one edit, the
    /// strings one edit away through `term`'s key; for two, the words of a few beginnings and endings from
    /// `term_word` (schema v6), then the counts of those near enough. Other words (not ASCII, or shorter)
    /// read every word of a near length, as before v6.
    func similarWords(to word: String, maxDistance: Int, limit: Int, on connection: PostgresConnection) async throws -> [IndexedWord] {
        let length = word.unicodeScalars.count
        let near = TypoNeighbours(word, maxDistance: maxDistance)
        var counted: [(String, Int64)] = []
        if let near, maxDistance == 1 {
            counted = try await counts(of: near.oneEditWords, on: connection)
        } else if let near, let candidates = try await wordsBeginningOrEnding(near.twoEditRanges, on: connection) {
            var measurer = EditDistance.Measurer()
            let close = candidates.filter { token in
                (length - maxDistance...length + maxDistance).contains(token.unicodeScalars.count)
                    && (measurer.distance(near.word, Array(token.utf8), limit: maxDistance) ?? 0) > 0
            }
            if !close.isEmpty { counted = try await counts(of: close.sorted(), on: connection) }
        } else {
            counted = try await wordsOfNearLength(length, maxDistance: maxDistance, on: connection)
        }
        let target = Array(word.utf8)
        var measurer = EditDistance.Measurer()
        var found: [IndexedWord] = []
        for (token, docs) in counted where (length - maxDistance...length + maxDistance).contains(token.unicodeScalars.count) {
            guard let distance = measurer.distance(target, Array(token.utf8), limit: maxDistance), distance > 0 else { continue }
            found.append(IndexedWord(word: token, rows: Int(docs), distance: distance))
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.rows != $1.rows ? $0.rows > $1.rows : $0.word < $1.word }
        return Array(found.prefix(limit))
    }

    /// Rows holding each of `tokens` as an exact form (those in no row the connection may see left out),
    /// through `term`'s key.
    private func counts(of tokens: [String], on connection: PostgresConnection) async throws -> [(String, Int64)] {
        var counts: [(String, Int64)] = []
        let rows = try await counted("""
            SELECT token, sum(exact_docs)::bigint FROM term WHERE token = ANY(\(tokens)) AND exact_docs > 0 GROUP BY token
            """, on: connection)
        for try await row in rows.decode((String, Int64).self) { counts.append(row) }
        return counts
    }

    /// Every exact indexed word of a length within `maxDistance` of `length`, with its rows (as before v6).
    private func wordsOfNearLength(_ length: Int, maxDistance: Int, on connection: PostgresConnection) async throws -> [(String, Int64)] {
        var counted: [(String, Int64)] = []
        let rows = try await self.counted("""
            SELECT token, sum(exact_docs)::bigint FROM term WHERE exact_docs > 0 AND length(token) BETWEEN \(length - maxDistance) AND \(length + maxDistance)
            GROUP BY token
            """, on: connection)
        for try await row in rows.decode((String, Int64).self) { counted.append(row) }
        return counted
    }

    /// The indexed words beginning with one of `ranges.beginnings` or ending with one of `ranges.endings`
    /// (given reversed), from `term_word`, whose policy shows a role only the words of rows it may see. The
    /// ranges are written out (`token >= $1 AND token < $2 OR …`): the planner then reads each through
    /// its index; a join with the arrays unnested made it read the whole table once per range.
    /// Nil when the role may not read `term_word`: an office added by a Siaran that knows only schema v5
    /// was not granted it (`addOffice`); its words of a near length are read instead.
    private func wordsBeginningOrEnding(_ ranges: (beginnings: [String], endings: [String]), on connection: PostgresConnection) async throws -> Set<String>? {
        var binds = PostgresBindings()
        var arms: [String] = []
        for (column, starts) in [("token", ranges.beginnings), ("reversed", ranges.endings)] {
            for start in starts {
                binds.append(start)
                binds.append(TypoNeighbours.after(start))
                arms.append("(\(column) >= $\(binds.count - 1) AND \(column) < $\(binds.count))")
            }
        }
        var words: Set<String> = []
        do {
            let rows = try await counted(PostgresQuery(unsafeSQL: "SELECT DISTINCT token FROM term_word WHERE " + arms.joined(separator: " OR "), binds: binds),
                                         on: connection)
            for try await token in rows.decode(String.self) { words.insert(token) }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
            // Said once: a search with a long typo would otherwise repeat it each time. Still asked each
            // time, so that a grant given later is used at once.
            guard !wordListRefused.exchange(true, ordering: .relaxed) else { return nil }
            logger.warning("""
                this database role may not read term_word (its office was added by a Siaran knowing schema v5); \
                the catalog's owner gives it by running siaran catalog office NAME --role ROLE again
                """)
            return nil
        }
        return words
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
