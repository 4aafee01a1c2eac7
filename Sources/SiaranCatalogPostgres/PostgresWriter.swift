import Foundation
import Logging
import PostgresNIO
import SiaranArchive
import SiaranSearch

// Indexing: a session's rows get one block of ids (`entry_block`: its entries, then its caption
// cues, in the order the SQLite catalog numbers them), each with its text and tokens. Per-token row
// counts (`term`, this office's: as an exact form and as a stem) are added and taken away in SQL from
// the stored tsvectors themselves, so removing a session never depends on its files or on today's analyzer. Every row written here is
// this office's, so two offices indexing at once never wait on each other.
extension PostgresCatalog {
    /// Row ids per session: a session's rows are numbered from its block's first id.
    static let blockSize: Int64 = 1 << 24

    /// Rows holding each token of the chosen sessions' entries: (lexeme, x: as an exact form, s: as a stem).
    private static let termCounts = """
        SELECT u.lexeme, count(*) FILTER (WHERE u.weights && ARRAY['A', 'C']) AS x,
               count(*) FILTER (WHERE u.weights && ARRAY['B', 'C']) AS s
        FROM entry e CROSS JOIN LATERAL unnest(e.tokens) u WHERE e.session = ANY($1) GROUP BY u.lexeme ORDER BY u.lexeme
        """

    func replace(_ sessions: [IndexedSession], freshAfter: Date?, on connection: PostgresConnection) async throws {
        for session in sessions {
            let m = session.manifest
            if let freshAfter, m.state == .recording {
                let rows = try await connection.query("SELECT indexed_at FROM session WHERE office = \(office) AND id = \(m.id)", logger: logger)
                var fresh = false
                for try await at in rows.decode(Double.self) where at > freshAfter.timeIntervalSince1970 { fresh = true }
                if fresh { continue }
            }
            try await delete(numbers: try await numbers(of: [m.id], on: connection), on: connection)
            try await insert(session, on: connection)
        }
    }

    /// The session numbers of this office's sessions with these ids.
    func numbers(of ids: [String], on connection: PostgresConnection) async throws -> [Int64] {
        var numbers: [Int64] = []
        let rows = try await connection.query("SELECT number FROM session WHERE office = \(office) AND id = ANY(\(ids))", logger: logger)
        for try await number in rows.decode(Int64.self) { numbers.append(number) }
        return numbers
    }

    /// Removes sessions (their entries and topics go with them) and their rows from the token counts.
    func delete(numbers: [Int64], on connection: PostgresConnection) async throws {
        guard !numbers.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(numbers)
        binds.append(office)
        try await connection.query(PostgresQuery(unsafeSQL: """
            WITH d AS (\(Self.termCounts)),
            gone AS (DELETE FROM term t USING d WHERE t.token = d.lexeme AND t.office = $2 AND t.exact_docs <= d.x AND t.stem_docs <= d.s RETURNING t.token)
            UPDATE term t SET exact_docs = greatest(t.exact_docs - d.x, 0), stem_docs = greatest(t.stem_docs - d.s, 0)
            FROM d WHERE t.token = d.lexeme AND t.office = $2 AND (t.exact_docs > d.x OR t.stem_docs > d.s)
            """, binds: binds), logger: logger)
        try await connection.query("DELETE FROM session WHERE number = ANY(\(numbers))", logger: logger)
    }

    /// Empties this office's part of the catalog: its sessions (their entries and topics go with them),
    /// its token counts and labels; its row numbering starts again.
    static func clearRows(office: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM session WHERE office = \(office)", logger: logger)
        try await connection.query("DELETE FROM term WHERE office = \(office)", logger: logger)
        try await connection.query("DELETE FROM label WHERE office = \(office)", logger: logger)
        try await connection.query("UPDATE office SET scan_marker = NULL, scanned_at = 0, numbered = 0 WHERE name = \(office)", logger: logger)
    }

    /// The number of the label `name` of `kind`, created when new; `aliases` are added to those it has.
    func label(_ kind: String, _ name: String?, aliases: [String] = [], on connection: PostgresConnection,
               cache: inout [String: Int64]) async throws -> Int64? {
        guard let name, !name.isEmpty else { return nil }
        let key = kind + "\u{0}" + name
        if let known = cache[key] { return known }
        try await connection.query("""
            INSERT INTO label (office, kind, name) VALUES (\(office), \(kind), \(name)) ON CONFLICT (office, kind, name) DO NOTHING
            """, logger: logger)
        var found: (Int64, [String])?
        let rows = try await connection.query("SELECT number, aliases FROM label WHERE office = \(office) AND kind = \(kind) AND name = \(name)",
                                              logger: logger)
        for try await row in rows.decode((Int64, [String]).self) { found = row }
        guard let (number, known) = found else { return nil }
        var added: [String] = []
        for alias in aliases where !alias.isEmpty && alias != name && !known.contains(alias) && !added.contains(alias) { added.append(alias) }
        if !added.isEmpty {
            try await connection.query("UPDATE label SET aliases = \(known + added) WHERE number = \(number)", logger: logger)
        }
        cache[key] = number
        return number
    }

    /// One row to insert.
    private struct NewRow {
        var kind: MatchKind
        var start: Double
        var text: String
        var tokens: [TextAnalyzer.Token]
        var speaker: Int64?
        var agenda: Int64?
    }

    func insert(_ session: IndexedSession, on connection: PostgresConnection) async throws {
        let m = session.manifest
        var cache: [String: Int64] = [:]
        let roster = session.agenda.map { $0.speakers + $0.participants } ?? []
        func speaker(_ name: String?) async throws -> Int64? {
            try await label("speaker", name, aliases: name.map(session.rosterAliases) ?? [], on: connection, cache: &cache)
        }
        func labels(at start: Double, voice: String? = nil) async throws -> (speaker: Int64?, agenda: Int64?) {
            var name = session.speakerLabel(at: start)
            if let voice { name = session.rosterName(voice) ?? voice }
            let s = try await speaker(name)
            return (s, try await label("agenda", session.timeline.agendaItem(at: start)?.value, on: connection, cache: &cache))
        }
        for person in roster { _ = try await speaker(person.name) }
        var rows: [NewRow] = []
        for entry in session.entries {
            let tokens = analyzer.tokens(entry.text)
            guard !tokens.isEmpty else { continue }
            let context: (speaker: Int64?, agenda: Int64?) = entry.timed ? try await labels(at: entry.start) : (nil, nil)
            rows.append(NewRow(kind: entry.kind, start: entry.start, text: entry.text, tokens: tokens, speaker: context.speaker, agenda: context.agenda))
        }
        for source in session.captions {
            let kind: MatchKind = CaptionSource.isMachineTranscript(source.path) ? .transcript : .caption
            for located in source.cues {
                let tokens = analyzer.tokens(located.cue.text)
                guard !tokens.isEmpty else { continue }
                let context = try await labels(at: located.cue.start, voice: located.cue.voice)
                // Stored to the millisecond, as the SQLite catalog keeps cue times.
                let start = Double(Int64((located.cue.start * 1000).rounded())) / 1000
                rows.append(NewRow(kind: kind, start: start, text: located.cue.text, tokens: tokens, speaker: context.speaker, agenda: context.agenda))
            }
        }
        let count = Int64(rows.count)
        guard count < Self.blockSize else {
            throw PostgresCatalogError(.cannotWrite, location: location, call: "replace",
                                       reason: "session \(m.id) has \(count) rows to index; one session holds at most \(Self.blockSize - 1)")
        }
        var first: Int64 = 1
        for try await block in try await connection.query("SELECT nextval('entry_block')", logger: logger).decode(Int64.self) {
            first = block * Self.blockSize
        }
        try await connection.query("UPDATE office SET numbered = numbered + \(count) WHERE name = \(office)", logger: logger)
        var number: Int64 = 0
        let started = (m.startedAt ?? m.createdAt).timeIntervalSince1970
        for try await value in try await connection.query("""
            INSERT INTO session (office, id, title, started_at, first_doc, last_doc, fingerprint, indexed_at, kinds)
            VALUES (\(office), \(m.id), \(m.title), \(started), \(first), \(first + count - 1), \(session.fingerprint), \(Date().timeIntervalSince1970),
                    \(rows.reduce(Int32(0)) { $0 | Int32(1) << $1.kind.rawValue }))
            RETURNING number
            """, logger: logger).decode(Int64.self) { number = value }
        // In slices, so that one statement's arrays stay a few megabytes.
        for slice in stride(from: 0, to: rows.count, by: 2_000) {
            let part = rows[slice..<min(rows.count, slice + 2_000)]
            let ids = part.indices.map { first + Int64($0) }
            try await connection.query("""
                INSERT INTO entry (id, session, kind, start, text, speaker, agenda, tokens)
                SELECT r.id, \(number), r.kind, r.start, r.text, nullif(r.speaker, -1), nullif(r.agenda, -1), r.tokens::tsvector
                FROM unnest(\(ids), \(part.map { Int16($0.kind.rawValue) }), \(part.map(\.start)), \(part.map(\.text)),
                            \(part.map { $0.speaker ?? -1 }), \(part.map { $0.agenda ?? -1 }), \(part.map { PostgresTokens.vector($0.tokens) }))
                     AS r (id, kind, start, text, speaker, agenda, tokens)
                """, logger: logger)
        }
        let stems = Array(Set(session.timeline.topics.flatMap { analyzer.tokens($0.value).map(\.stem) })).sorted()
        if !stems.isEmpty {
            try await connection.query("INSERT INTO topic (session, stem) SELECT \(number), s FROM unnest(\(stems)) AS s", logger: logger)
        }
        var termBinds = PostgresBindings()
        termBinds.append([number])
        termBinds.append(office)
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO term (office, token, exact_docs, stem_docs) SELECT $2, lexeme, x, s FROM (\(Self.termCounts)) d
            ON CONFLICT (token, office) DO UPDATE SET exact_docs = term.exact_docs + excluded.exact_docs, stem_docs = term.stem_docs + excluded.stem_docs
            """, binds: termBinds), logger: logger)
    }
}
