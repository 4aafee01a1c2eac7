import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import SiaranCore

/// Everything about one session that the catalog indexes.
public struct CatalogSession: Sendable {
    public var manifest: SessionManifest
    public var agenda: Agenda?
    public var timeline: SessionTimeline
    /// The session's caption files (Siaran's own WebVTT).
    public var captions: [CaptionSource]
    /// Changes whenever a source file of the session changes.
    public var fingerprint: String

    public init(manifest: SessionManifest, agenda: Agenda?, timeline: SessionTimeline, captions: [CaptionSource], fingerprint: String) {
        self.manifest = manifest
        self.agenda = agenda
        self.timeline = timeline
        self.captions = captions
        self.fingerprint = fingerprint
    }
}

/// Narrows a search.
public struct SearchFilters: Sendable {
    public var speaker: String?
    public var topic: String?
    public var agenda: String?
    public var since: Date?
    public var until: Date?
    public var session: String?

    public init(speaker: String? = nil, topic: String? = nil, agenda: String? = nil, since: Date? = nil, until: Date? = nil, session: String? = nil) {
        self.speaker = speaker
        self.topic = topic
        self.agenda = agenda
        self.since = since
        self.until = until
        self.session = session
    }
}

/// One place in the archive where the query matched.
public struct SearchHit: Codable, Sendable, Equatable {
    public var session: String
    public var title: String
    /// Wall-clock start of the session.
    public var date: Date?
    /// The moment on the session clock, in seconds.
    public var seconds: Double
    /// The same as HH:MM:SS.
    public var moment: String
    public var speaker: String?
    public var agenda: String?
    /// What matched: caption, note, topic, speaker, agenda, title, description, roster.
    public var matched: String
    /// The whole matched text.
    public var text: String
    /// Part of the text around the match, matched words in «guillemets».
    public var snippet: String
    public var score: Double
}

/// `sessions/catalog.sqlite`: a full-text index (SQLite FTS5 through GRDB) of every session's title,
/// agenda, roster, tags and caption cues. Derived from the session files and rebuilt from them at will.
///
/// Rows of one session get one range of ids; session and date filters become id ranges that FTS5
/// narrows cheaply. Full-text ids count down, so FTS5 meets the newest rows first; no query scores
/// every matching row (see `search`).
///
/// Small on disk: the full-text tables store which rows hold a token and nothing else (`detail=none`;
/// phrases are checked against the text), and caption text is not copied: each cue is a few bytes
/// saying where its text stands in the session's caption file, from which snippets are read. Tokens
/// are the exact folded words, plus `ˢstem` where a word's stem differs, plus `ˣs<n>`/`ˣa<n>` for
/// the speaker and agenda item at the row's moment (so those filters are part of MATCH).
public final class Catalog: Sendable {
    public let path: String
    private let pool: DatabasePool
    private let analyzer = TextAnalyzer()
    /// The folder caption paths are stored relative to (the catalog's own).
    private let folder: String
    /// Full-text row ids are `firstID - id`.
    static let firstID: Int64 = 1 << 50

    /// Opens (creating or migrating) the catalog at `path`.
    public init(path: String) throws {
        self.path = path
        self.folder = (path as NSString).deletingLastPathComponent
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        configuration.label = "siaran-catalog"
        // Several processes may open a new catalog at once (a recorder, taggers, searches): switching
        // it to WAL and migrating happen under a file lock, one process at a time; the others then
        // find nothing left to do.
        let lock = open(path + ".open-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
        if lock >= 0 { while flock(lock, LOCK_EX) != 0 && errno == EINTR {} }
        pool = try DatabasePool(path: path, configuration: configuration)
        let migrator = Self.migrator
        if try !pool.read({ try migrator.hasCompletedMigrations($0) }) {
            try migrator.migrate(pool)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    startedAt REAL,
                    firstDoc INTEGER NOT NULL,
                    lastDoc INTEGER NOT NULL,
                    fingerprint TEXT NOT NULL
                );
                CREATE INDEX session_started ON session(startedAt);
                CREATE TABLE doc (
                    id INTEGER PRIMARY KEY,
                    sessionID TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    start REAL NOT NULL,
                    text TEXT NOT NULL,
                    speaker TEXT,
                    speakerKey TEXT,
                    agenda TEXT,
                    agendaKey TEXT
                );
                CREATE INDEX doc_session ON doc(sessionID);
                CREATE TABLE topic (sessionID TEXT NOT NULL, stem TEXT NOT NULL);
                CREATE INDEX topic_stem ON topic(stem);
                CREATE VIRTUAL TABLE doc_fts USING fts5(exact, stems, content='', tokenize='unicode61 remove_diacritics 0');
                """)
        }
        // v2: compact rows, speaker/agenda/kind as index tokens (filters inside MATCH), term statistics
        // for scoring without bm25(). The catalog is derived: v2 starts empty and is rebuilt.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                DROP TABLE doc_fts; DROP TABLE doc; DROP TABLE topic; DROP TABLE session;
                CREATE TABLE session (
                    number INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    startedAt REAL NOT NULL,
                    firstDoc INTEGER NOT NULL,
                    lastDoc INTEGER NOT NULL,
                    fingerprint TEXT NOT NULL
                );
                CREATE INDEX session_started ON session(startedAt);
                CREATE TABLE label (
                    number INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    folded TEXT NOT NULL,
                    UNIQUE (kind, name)
                );
                CREATE TABLE doc (
                    id INTEGER PRIMARY KEY,
                    session INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    start REAL NOT NULL,
                    text TEXT NOT NULL,
                    speaker INTEGER,
                    agenda INTEGER
                );
                CREATE INDEX doc_session ON doc(session);
                CREATE TABLE topic (session INTEGER NOT NULL, stem TEXT NOT NULL);
                CREATE INDEX topic_stem ON topic(stem);
                CREATE TABLE term (column INTEGER NOT NULL, token TEXT NOT NULL, docs INTEGER NOT NULL, PRIMARY KEY (column, token)) WITHOUT ROWID;
                CREATE VIRTUAL TABLE doc_fts USING fts5(exact, stems, ctx, content='', tokenize='unicode61 remove_diacritics 0');
                """)
        }
        // v3: row ids count down (newest first); catalogs built before are emptied and rebuilt.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term;
                INSERT INTO doc_fts(doc_fts) VALUES('delete-all');
                """)
        }
        // v4: captions and the rest (titles, roster, agenda, tags) in two FTS tables, so a word that is
        // frequent in captions but rare elsewhere does not make the small table's search scan the large one.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                DROP TABLE doc_fts;
                DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term;
                CREATE VIRTUAL TABLE caption_fts USING fts5(exact, stems, ctx, content='', tokenize='unicode61 remove_diacritics 0');
                CREATE VIRTUAL TABLE meta_fts USING fts5(exact, stems, ctx, content='', tokenize='unicode61 remove_diacritics 0');
                """)
        }
        // v5: rows numbered upwards again (appends keep the table's pages full) while full-text row ids
        // count down from `firstID` (newest first for FTS5); no column sizes (no bm25()); no session index.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                DROP TABLE caption_fts; DROP TABLE meta_fts; DROP INDEX doc_session;
                DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term;
                CREATE VIRTUAL TABLE caption_fts USING fts5(exact, stems, ctx, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0');
                CREATE VIRTUAL TABLE meta_fts USING fts5(exact, stems, ctx, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0');
                """)
        }
        // v6: when each session was indexed (a session being recorded is re-indexed at most every few seconds).
        migrator.registerMigration("v6") { db in
            try db.execute(sql: "ALTER TABLE session ADD COLUMN indexedAt REAL NOT NULL DEFAULT 0")
        }
        // v7: no caption text in the catalog (cues point into the caption files), `detail=none` full-text
        // tables with stems and context as marked tokens, ids never reused (rows of a caption file that
        // changed under the catalog cannot be removed exactly: they stay, unreachable, until a rebuild).
        migrator.registerMigration("v7") { db in
            try db.execute(sql: """
                DROP TABLE caption_fts; DROP TABLE meta_fts;
                DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term;
                CREATE INDEX session_first ON session(firstDoc);
                CREATE TABLE caption_file (
                    session INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    first INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    hash INTEGER NOT NULL,
                    cues BLOB NOT NULL
                );
                CREATE INDEX caption_file_session ON caption_file(session);
                CREATE TABLE counter (nextDoc INTEGER NOT NULL, staleRows INTEGER NOT NULL);
                INSERT INTO counter VALUES (1, 0);
                CREATE VIRTUAL TABLE caption_fts USING fts5(tokens, content='', columnsize=0, detail=none, tokenize='unicode61 remove_diacritics 0');
                CREATE VIRTUAL TABLE meta_fts USING fts5(tokens, content='', columnsize=0, detail=none, tokenize='unicode61 remove_diacritics 0');
                """)
        }
        // v8: what the archive looked like when the catalog last compared itself with it.
        migrator.registerMigration("v8") { db in
            try db.execute(sql: "ALTER TABLE counter ADD COLUMN scanMarker TEXT; ALTER TABLE counter ADD COLUMN scannedAt REAL NOT NULL DEFAULT 0")
        }
        // v9: FTS5's `ascii` tokenizer: Siaran hands it words it has already split and folded, and
        // `ascii` keeps every non-ASCII character inside a token, so each word is exactly one token
        // (`unicode61` split words at marks such as U+05B0 that Siaran keeps, making a word a phrase).
        migrator.registerMigration("v9") { db in
            try db.execute(sql: """
                DROP TABLE caption_fts; DROP TABLE meta_fts;
                DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term; DELETE FROM caption_file;
                UPDATE counter SET nextDoc = 1, staleRows = 0, scanMarker = NULL, scannedAt = 0;
                CREATE VIRTUAL TABLE caption_fts USING fts5(tokens, content='', columnsize=0, detail=none, tokenize='ascii');
                CREATE VIRTUAL TABLE meta_fts USING fts5(tokens, content='', columnsize=0, detail=none, tokenize='ascii');
                """)
        }
        // v10: checkpoints into each caption file's packed cues (older rows, without, are read from the start).
        migrator.registerMigration("v10") { db in
            try db.execute(sql: "ALTER TABLE caption_file ADD COLUMN checkpoints BLOB NOT NULL DEFAULT x''")
        }
        // v11: --since/--until read the row-id span of the sessions in a time range from the index alone.
        migrator.registerMigration("v11") { db in
            try db.execute(sql: """
                DROP INDEX session_started;
                CREATE INDEX session_span ON session(startedAt, firstDoc, lastDoc);
                """)
        }
        return migrator
    }

    /// The archive's change marker and time of the last full comparison with the session files.
    public func lastScan() throws -> (marker: String?, at: Date) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT scanMarker, scannedAt FROM counter")
            return (row?["scanMarker"], Date(timeIntervalSince1970: row?["scannedAt"] ?? 0))
        }
    }

    public func setLastScan(marker: String?, at date: Date) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE counter SET scanMarker = ?, scannedAt = ?", arguments: [marker, date.timeIntervalSince1970])
        }
    }

    /// Marks a stem token and a context token (non-ASCII, so FTS5's `ascii` tokenizer keeps them inside
    /// the token; the analyzer never produces them, so they cannot collide with words).
    static let stemMarker = "\u{02E2}", contextMarker = "\u{02E3}"

    /// The full-text tokens of a row.
    static func tokenString(_ tokens: [TextAnalyzer.Token], speaker: Int64?, agenda: Int64?) -> String {
        var parts: [String] = []
        parts.reserveCapacity(tokens.count * 2 + 2)
        for token in tokens {
            parts.append(token.exact)
            if token.stem != token.exact { parts.append(stemMarker + token.stem) }
        }
        if let speaker { parts.append("\(contextMarker)s\(speaker)") }
        if let agenda { parts.append("\(contextMarker)a\(agenda)") }
        return parts.joined(separator: " ")
    }

    /// The full-text row id of a row: ids count down there, so FTS5 meets the newest rows first.
    static func ftsRowID(_ id: Int64) -> Int64 { firstID - id }

    /// The full-text table holding rows of `kind`.
    static func table(for kind: Int) -> String { kind == Kind.caption.rawValue ? "caption_fts" : "meta_fts" }

    /// Merges the full-text indexes into one segment each and empties the write-ahead log (after a rebuild).
    public func optimize() throws {
        try pool.writeWithoutTransaction { db in
            for table in ["caption_fts", "meta_fts"] { try db.execute(sql: "INSERT INTO \(table)(\(table)) VALUES('optimize')") }
            // The merge frees the pages of the segments it merged: give them back to the file system.
            try db.execute(sql: "VACUUM")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// How many words a prefix* stands for at most: its most frequent completions.
    static let prefixExpansions = 16

    /// The most frequent exact words that begin with `prefix`.
    static func completions(of prefix: String, in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT token FROM term WHERE column = 0 AND token >= ? AND token < ? ORDER BY docs DESC LIMIT \(prefixExpansions)",
                            arguments: [prefix, prefix + "\u{10FFFF}"])
    }

    /// What a row is; the code is stored, the name shown.
    enum Kind: Int, CaseIterable {
        case caption = 0, title, description, roster, agenda, speaker, topic, note
        var name: String { String(describing: self) }
        /// Field weight in ranking.
        var weight: Double {
            switch self {
            case .title: return 3
            case .agenda, .topic: return 2
            case .speaker, .note, .description: return 1.5
            case .caption, .roster: return 1
            }
        }
    }

    // MARK: - Updating

    /// Session ids in the catalog with their fingerprints.
    public func fingerprints() throws -> [String: String] {
        try indexed().mapValues(\.fingerprint)
    }

    /// Session ids in the catalog with their fingerprints and when they were indexed.
    public func indexed() throws -> [String: (fingerprint: String, at: Date)] {
        try pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, fingerprint, indexedAt FROM session").map {
                ($0["id"] as String, (fingerprint: $0["fingerprint"] as String, at: Date(timeIntervalSince1970: $0["indexedAt"])))
            })
        }
    }

    /// Replaces everything indexed for these sessions. A session being recorded is left alone when
    /// another process indexed it after `freshAfter` (several searches during a briefing would
    /// otherwise each re-index the same live session, one after the other).
    public func replace(_ sessions: [CatalogSession], freshAfter: Date? = nil) throws {
        try pool.write { db in
            var counts = TermCounts()
            for session in sessions {
                if let freshAfter, session.manifest.state == .recording,
                   let at = try Double.fetchOne(db, sql: "SELECT indexedAt FROM session WHERE id = ?", arguments: [session.manifest.id]),
                   at > freshAfter.timeIntervalSince1970 { continue }
                try self.delete(session.manifest.id, in: db, counts: &counts)
                try self.insert(session, in: db, counts: &counts)
            }
            try counts.save(in: db)
        }
    }

    /// Removes sessions that no longer exist.
    public func remove(_ ids: [String]) throws {
        try pool.write { db in
            var counts = TermCounts()
            for id in ids { try self.delete(id, in: db, counts: &counts) }
            try counts.save(in: db)
        }
    }

    /// Full-text rows left behind by caption files that changed or vanished before their session was
    /// re-indexed (their ids belong to no session, so searches skip them).
    public func staleRows() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT staleRows FROM counter") ?? 0 }
    }

    /// Whether stale rows have grown enough that a rebuild is worth it.
    public func needsCompaction() throws -> Bool {
        try pool.read { db in
            let stale = try Int.fetchOne(db, sql: "SELECT staleRows FROM counter") ?? 0
            let live = try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM caption_file") ?? 0
            return stale > max(5_000, live / 5)
        }
    }

    /// Empties the catalog (every session is then indexed again by the next refresh): how stale rows go.
    public func clear() throws {
        try pool.write { db in
            try db.execute(sql: """
                DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term; DELETE FROM caption_file;
                UPDATE counter SET nextDoc = 1, staleRows = 0, scanMarker = NULL, scannedAt = 0;
                INSERT INTO caption_fts(caption_fts) VALUES('delete-all'); INSERT INTO meta_fts(meta_fts) VALUES('delete-all');
                """)
        }
    }

    /// Per-token document counts, changed in memory and written once per transaction.
    struct TermCounts {
        var delta: [Int: [String: Int]] = [0: [:], 1: [:]]

        mutating func add(_ tokens: [TextAnalyzer.Token], sign: Int) {
            for token in Set(tokens.map(\.exact)) { delta[0]![token, default: 0] += sign }
            for token in Set(tokens.map(\.stem)) { delta[1]![token, default: 0] += sign }
        }

        func save(in db: Database) throws {
            let statement = try db.makeStatement(sql: """
                INSERT INTO term (column, token, docs) VALUES (?, ?, ?)
                ON CONFLICT (column, token) DO UPDATE SET docs = docs + excluded.docs
                """)
            for (column, tokens) in delta {
                for (token, change) in tokens where change != 0 { try statement.execute(arguments: [column, token, change]) }
            }
            try db.execute(sql: "DELETE FROM term WHERE docs <= 0")
        }
    }

    /// A caption path as stored: relative to the catalog's folder when inside it.
    private func storedPath(_ path: String) -> String {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
    }

    private func absolutePath(_ stored: String) -> String {
        stored.hasPrefix("/") ? stored : folder + "/" + stored
    }

    private func delete(_ id: String, in db: Database, counts: inout TermCounts) throws {
        guard let session = try Row.fetchOne(db, sql: "SELECT number, firstDoc, lastDoc FROM session WHERE id = ?", arguments: [id]) else { return }
        let number: Int64 = session["number"]
        let range: [Int64] = [session["firstDoc"], session["lastDoc"]]
        let meta = try db.cachedStatement(sql: "INSERT INTO meta_fts(meta_fts, rowid, tokens) VALUES('delete', ?, ?)")
        for row in try Row.fetchAll(db, sql: "SELECT id, text, speaker, agenda FROM doc WHERE id BETWEEN ? AND ?", arguments: StatementArguments(range)) {
            let tokens = analyzer.tokens(row["text"])
            counts.add(tokens, sign: -1)
            try meta.execute(arguments: [Self.ftsRowID(row["id"]), Self.tokenString(tokens, speaker: row["speaker"], agenda: row["agenda"])])
        }
        // Caption rows are removed exactly when the text they were made from is still in the file (it
        // was not rewritten, only perhaps appended to); otherwise they stay behind as stale rows.
        let captions = try db.cachedStatement(sql: "INSERT INTO caption_fts(caption_fts, rowid, tokens) VALUES('delete', ?, ?)")
        var stale = 0
        for file in try Row.fetchAll(db, sql: "SELECT path, first, count, bytes, hash, cues, checkpoints FROM caption_file WHERE session = ?", arguments: [number]) {
            let bytes: Int = file["bytes"]
            let data = try? Data(contentsOf: URL(fileURLWithPath: absolutePath(file["path"])))
            guard let data, data.count >= bytes,
                  data.prefix(bytes).withUnsafeBytes({ CaptionSource.hash($0) }) == file["hash"] as Int64 else {
                stale += file["count"] as Int
                continue
            }
            let first: Int64 = file["first"]
            for (index, cue) in StoredCue.decode(file["cues"], checkpoints: file["checkpoints"]).enumerated() where cue.text.upperBound <= bytes {
                let text = WebVTT.clean(String(decoding: data[cue.text], as: UTF8.self))
                let tokens = analyzer.tokens(text)
                counts.add(tokens, sign: -1)
                try captions.execute(arguments: [Self.ftsRowID(first + Int64(index)), Self.tokenString(tokens, speaker: cue.speaker, agenda: cue.agenda)])
            }
        }
        if stale > 0 { try db.execute(sql: "UPDATE counter SET staleRows = staleRows + ?", arguments: [stale]) }
        try db.execute(sql: "DELETE FROM caption_file WHERE session = ?", arguments: [number])
        try db.execute(sql: "DELETE FROM doc WHERE id BETWEEN ? AND ?", arguments: StatementArguments(range))
        try db.execute(sql: "DELETE FROM topic WHERE session = ?", arguments: [number])
        try db.execute(sql: "DELETE FROM session WHERE number = ?", arguments: [number])
    }

    private func label(_ kind: String, _ name: String?, in db: Database, cache: inout [String: Int64]) throws -> Int64? {
        guard let name, !name.isEmpty else { return nil }
        let key = kind + "\u{0}" + name
        if let known = cache[key] { return known }
        try db.execute(sql: "INSERT OR IGNORE INTO label (kind, name, folded) VALUES (?, ?, ?)", arguments: [kind, name, TextFolding.fold(name)])
        let number = try Int64.fetchOne(db, sql: "SELECT number FROM label WHERE kind = ? AND name = ?", arguments: [kind, name])
        cache[key] = number
        return number
    }

    private func insert(_ session: CatalogSession, in db: Database, counts: inout TermCounts) throws {
        let m = session.manifest
        let first = try Int64.fetchOne(db, sql: "SELECT nextDoc FROM counter") ?? 1
        try db.execute(sql: "INSERT INTO session (id, title, startedAt, firstDoc, lastDoc, fingerprint, indexedAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [m.id, m.title, (m.startedAt ?? m.createdAt).timeIntervalSince1970, first, first - 1, session.fingerprint,
                                   Date().timeIntervalSince1970])
        let number = db.lastInsertedRowID
        var next = first
        var labelCache: [String: Int64] = [:]
        func labels(at start: Double) throws -> (speaker: Int64?, agenda: Int64?) {
            (try label("speaker", session.timeline.speaker(at: start)?.value, in: db, cache: &labelCache),
             try label("agenda", session.timeline.agendaItem(at: start)?.value, in: db, cache: &labelCache))
        }
        let docStatement = try db.makeStatement(sql: "INSERT INTO doc (id, session, kind, start, text, speaker, agenda) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let metaStatement = try db.makeStatement(sql: "INSERT INTO meta_fts (rowid, tokens) VALUES (?, ?)")
        /// `timed`: the text belongs to a moment (a tag), so the speaker and agenda item then apply.
        func add(_ kind: Kind, at start: Double, timed: Bool = true, _ text: String) throws {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let tokens = analyzer.tokens(trimmed)
            guard !tokens.isEmpty else { return }
            let context: (speaker: Int64?, agenda: Int64?) = timed ? try labels(at: start) : (nil, nil)
            try docStatement.execute(arguments: [next, number, kind.rawValue, start, trimmed, context.speaker, context.agenda])
            try metaStatement.execute(arguments: [Self.ftsRowID(next), Self.tokenString(tokens, speaker: context.speaker, agenda: context.agenda)])
            counts.add(tokens, sign: 1)
            next += 1
        }
        try add(.title, at: 0, timed: false, m.title)
        if let a = session.agenda {
            if let title = a.title, title != m.title { try add(.title, at: 0, timed: false, title) }
            try add(.description, at: 0, timed: false, [a.description, a.organiser].compactMap { $0 }.joined(separator: " — "))
            for person in a.speakers + a.participants {
                try add(.roster, at: 0, timed: false, ([person.name, person.role, person.organisation].compactMap { $0 } + person.aliases).joined(separator: ", "))
            }
            for (index, item) in a.agenda.enumerated() {
                let start = session.timeline.agendaItems.first { $0.agendaNumber == index + 1 }?.start
                try add(.agenda, at: start ?? 0, timed: start != nil, [item.title, item.description].compactMap { $0 }.joined(separator: ". "))
            }
        }
        for turn in session.timeline.speakerTurns {
            let role = session.agenda.flatMap { a in (a.speakers + a.participants).first { $0.name == turn.value } }
            try add(.speaker, at: turn.start, [turn.value, role?.role, role?.organisation].compactMap { $0 }.joined(separator: ", "))
        }
        for topic in session.timeline.topics { try add(.topic, at: topic.at, topic.value) }
        for note in session.timeline.notes { try add(.note, at: note.at, note.value) }

        let captionStatement = try db.makeStatement(sql: "INSERT INTO caption_fts (rowid, tokens) VALUES (?, ?)")
        let fileStatement = try db.makeStatement(sql: "INSERT INTO caption_file (session, path, first, count, bytes, hash, cues, checkpoints) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for source in session.captions {
            let fileFirst = next
            var stored: [StoredCue] = []
            stored.reserveCapacity(source.cues.count)
            for located in source.cues {
                let tokens = analyzer.tokens(located.cue.text)
                guard !tokens.isEmpty else { continue }
                let context = try labels(at: located.cue.start)
                try captionStatement.execute(arguments: [Self.ftsRowID(next), Self.tokenString(tokens, speaker: context.speaker, agenda: context.agenda)])
                counts.add(tokens, sign: 1)
                stored.append(StoredCue(startMillis: Int64((located.cue.start * 1000).rounded()), text: located.text,
                                        speaker: context.speaker, agenda: context.agenda))
                next += 1
            }
            let packed = StoredCue.encode(stored)
            try fileStatement.execute(arguments: [number, storedPath(source.path), fileFirst, stored.count, source.bytes, source.hash,
                                                  packed.cues, packed.checkpoints])
        }
        for stem in Set(session.timeline.topics.flatMap { analyzer.tokens($0.value).map(\.stem) }) {
            try db.execute(sql: "INSERT INTO topic (session, stem) VALUES (?, ?)", arguments: [number, stem])
        }
        try db.execute(sql: "UPDATE session SET lastDoc = ? WHERE number = ?", arguments: [next - 1, number])
        try db.execute(sql: "UPDATE counter SET nextDoc = ?", arguments: [next])
    }

    // MARK: - Searching

    /// The best hits for `query`, best first.
    ///
    /// Scoring: for each clause, the inverse document frequency of the alternative that matched,
    /// doubled when the row holds the exact form; times the field weight of the row's kind; times a
    /// mild recency factor. Within one combination of matched alternatives, exactness and kind group,
    /// that score only grows with recency, and full-text row ids count down (newest first); so the newest
    /// `limit` rows of each combination (a MATCH with `ORDER BY rowid` — ids count down — which FTS5
    /// answers without visiting older rows) hold the whole top `limit`. No query scores every matching
    /// row. Phrases are matched as all their words, then checked in the row's text, newest first, until
    /// enough rows pass.
    ///
    /// Crowding: at most `perSession` hits of one session come before every other session has had
    /// its turn (a word said 700 times in the latest briefing would otherwise fill the whole page
    /// with it); the rest follow when there is room. The scan skips a session once it has given
    /// `perSession` rows, so this costs one more full-text query per session shown. Nil (and any
    /// search within one session) lists hits by score alone.
    public func search(_ query: SearchQuery, filters: SearchFilters = SearchFilters(), limit: Int = 20, perSession: Int? = 3,
                       now: Date = Date()) throws -> [SearchHit] {
        let cap = filters.session == nil ? perSession.flatMap { $0 > 0 ? $0 : nil } : nil
        return try pool.read { db in
            var scope = Scope()
            guard try scope.resolve(filters, in: db, analyzer: analyzer) else { return [] }
            let total = Double(max(1, (try Int64.fetchOne(db, sql: "SELECT nextDoc FROM counter") ?? 1) - 1))
            let idf = IDF(db: db, total: total, analyzer: analyzer)
            let rows = RowReader(db: db, folder: folder)
            var best: [Int64: Double] = [:]
            // prefix* becomes its most frequent completions: plain doclists that FTS5 reads lazily,
            // instead of a merge of every matching term.
            var completions: [String: [String]] = [:]
            for case let .prefix(p) in query.clauses.joined() + query.excluded where completions[p] == nil {
                completions[p] = try Self.completions(of: p, in: db)
            }
            func expression(_ term: SearchQuery.Term, exactOnly: Bool) -> String? {
                if case let .prefix(p) = term {
                    guard let words = completions[p], !words.isEmpty else { return nil }
                    return "(" + words.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
                }
                return SearchQuery.expression(term, exactOnly: exactOnly, analyzer: analyzer)
            }
            // Excluded words go into MATCH; excluded phrases are checked in the text.
            let exclusions = query.excluded.filter { if case .phrase = $0 { return false } else { return true } }
                .compactMap { expression($0, exactOnly: false) }
            let excludedPhrases = query.excluded.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } }
            let excluded = exclusions.isEmpty ? "" : " NOT (" + exclusions.joined(separator: " OR ") + ")"
            let combinations = Self.combinations(query.clauses)
            /// Gathers candidates into `best`, taking at most `perSession` rows of a session from each
            /// full-text query; whether some session had more.
            func gather(perSession: Int?) throws -> Bool {
                var capped = false
                for (table, fetch) in [("caption_fts", limit), ("meta_fts", limit * 4 + 20)] {
                    for combination in combinations {
                        let weight = try combination.reduce(0.0) { $0 + (try idf.of($1)) }
                        let phrases = combination.compactMap { if case let .phrase(p) = $0 { return p } else { return nil } }
                        var exactFilled = false
                        for exact in [true, false] {
                            if exact && !combination.contains(where: { if case .prefix = $0 { return false } else { return true } }) { continue }
                            // Captions all weigh the same, and an exact match counts twice: when exact
                            // matches fill the page, no stem-only caption match can reach it.
                            if !exact && exactFilled && table == "caption_fts" { continue }
                            let parts = combination.map { expression($0, exactOnly: exact) }
                            if parts.contains(where: { $0 == nil }) { continue }
                            let match = "(" + parts.map { $0! }.joined(separator: " AND ") + ")\(scope.contextFilter)" + excluded
                            let needsText = !phrases.isEmpty || !excludedPhrases.isEmpty
                            var taken: [Int64: Int] = [:]
                            let found = try collect(table: table, match: match, scope: scope, want: fetch, in: db) { id in
                                guard let entry = try rows.entry(id), scope.allows(entry.session.number) else { return .skip }
                                if let perSession, taken[entry.session.number, default: 0] >= perSession {
                                    capped = true
                                    return .skipSession(firstID: entry.session.range.lowerBound)
                                }
                                if needsText {
                                    let words = self.analyzer.words(try rows.text(of: entry))
                                    var stems: [String]?
                                    func holds(_ phrase: [String], exact: Bool) -> Bool {
                                        if exact { return Self.contains(words, phrase) }
                                        if stems == nil { stems = words.map(self.analyzer.stem) }
                                        return Self.contains(stems!, phrase.map(self.analyzer.stem))
                                    }
                                    guard phrases.allSatisfy({ holds($0, exact: exact) }) && !excludedPhrases.contains(where: { holds($0, exact: false) }) else {
                                        return .skip
                                    }
                                }
                                taken[entry.session.number, default: 0] += 1
                                return .take
                            }
                            if exact && found.count >= fetch { exactFilled = true }
                            let score = weight * (exact ? 2 : 1)
                            for id in found where (best[id] ?? 0) < score { best[id] = score }
                        }
                    }
                }
                return capped
            }
            // With a cap, the first round gathers from many sessions; when it runs out of rows before
            // filling the page (the words are in few sessions), a second round without the cap fills it.
            if try gather(perSession: cap), best.count < limit { _ = try gather(perSession: nil) }
            guard !best.isEmpty else { return [] }
            // Kind and recency into the score.
            var scored: [(score: Double, id: Int64, entry: RowReader.Entry)] = []
            for (id, base) in best {
                guard let entry = try rows.entry(id) else { continue }
                let ageDays = max(0, now.timeIntervalSince1970 - entry.session.startedAt) / 86_400
                let recency = 1 + 0.2 * exp(-ageDays / 365)
                scored.append((base * entry.kind.weight * recency, id, entry))
            }
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.id > $1.id }
            if let cap {
                // The best `cap` of each session first, then the others, each group in score order.
                var shown: [Int64: Int] = [:]
                let turns = scored.map { hit in
                    shown[hit.entry.session.number, default: 0] += 1
                    return shown[hit.entry.session.number]! <= cap
                }
                scored = zip(scored, turns).filter { $0.1 }.map(\.0) + zip(scored, turns).filter { !$0.1 }.map(\.0)
            }
            let highlighter = Highlighter(query, analyzer: analyzer)
            return try scored.prefix(limit).map { score, _, entry in
                let text = try rows.text(of: entry)
                return SearchHit(session: entry.session.id, title: entry.session.title,
                                 date: Date(timeIntervalSince1970: entry.session.startedAt),
                                 seconds: entry.start, moment: ClockFormat.string(entry.start),
                                 speaker: try rows.label(entry.speaker), agenda: try rows.label(entry.agenda),
                                 matched: entry.kind.name, text: text,
                                 snippet: highlighter.snippet(text), score: score)
            }
        }
    }

    /// The newest (at most `want`) rows of `table` matching `match` that `accept` takes, reading the
    /// full-text index newest first in pages, and stopping after a bounded number of rows.
    private func collect(table: String, match: String, scope: Scope, want: Int, in db: Database,
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

    /// Where a search may look: session filters as a row-id range (plus the exact session set when the
    /// range is wider), speaker and agenda filters as `ctx` tokens.
    struct Scope {
        var range: ClosedRange<Int64>?
        var sessions: Set<Int64>?
        var contextFilter = ""

        /// Whether rows of the session numbered `number` may be hits.
        func allows(_ number: Int64) -> Bool { sessions?.contains(number) ?? true }

        /// False when the filters leave nothing to search.
        mutating func resolve(_ filters: SearchFilters, in db: Database, analyzer: TextAnalyzer) throws -> Bool {
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
                let numbers = try Int64.fetchAll(db, sql: "SELECT number FROM label WHERE kind = ? AND folded LIKE ?",
                                                 arguments: [kind, "%" + TextFolding.fold(typed) + "%"])
                guard !numbers.isEmpty else { return false }
                contextFilter += " AND (" + numbers.map { "\"\(Catalog.contextMarker)\(prefix)\($0)\"" }.joined(separator: " OR ") + ")"
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

        func idf(_ docs: Double) -> Double { log(1 + (total - docs + 0.5) / (docs + 0.5)) }

        func of(_ term: SearchQuery.Term) throws -> Double {
            switch term {
            case let .word(w): return idf(try docs(analyzer.stem(w), column: 1))
            case let .phrase(parts): return try parts.reduce(0) { $0 + idf(try docs(analyzer.stem($1), column: 1)) }
            case .prefix: return 1
            }
        }
    }

    /// Every way of picking one alternative per clause (the parser keeps this to at most
    /// `SearchQuery.maximumCombinations`).
    static func combinations(_ clauses: [[SearchQuery.Term]]) -> [[SearchQuery.Term]] {
        clauses.reduce([[]]) { partial, alternatives in partial.flatMap { prefix in alternatives.map { prefix + [$0] } } }
    }

    /// Number of indexed rows (for reports).
    public func documentCount() throws -> Int {
        try pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM doc") ?? 0) + (try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM caption_file") ?? 0)
        }
    }
}
