import Foundation
import GRDB
import SiaranCore

/// A timed line of text to index (a caption cue).
public struct TimedText: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var text: String

    public init(start: Double, end: Double, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}

/// Everything about one session that the catalog indexes.
public struct CatalogSession: Sendable {
    public var manifest: SessionManifest
    public var agenda: Agenda?
    public var timeline: SessionTimeline
    public var captions: [TimedText]
    /// Changes whenever a source file of the session changes.
    public var fingerprint: String

    public init(manifest: SessionManifest, agenda: Agenda?, timeline: SessionTimeline, captions: [TimedText], fingerprint: String) {
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
/// Rows of one session are inserted together, so their ids form one range; session and date filters
/// become id ranges that FTS5 narrows cheaply. Frequent words are not scored over every matching row:
/// the newest `candidateLimit` matches are ranked (a mild preference for recent sessions by design).
public final class Catalog: Sendable {
    public let path: String
    private let pool: DatabasePool
    private let analyzer = TextAnalyzer()
    /// How many matching rows at most are scored per query.
    public static let candidateLimit = 4000

    /// Opens (creating or migrating) the catalog at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        configuration.label = "siaran-catalog"
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
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
        return migrator
    }

    // MARK: - Updating

    /// Session ids in the catalog with their fingerprints.
    public func fingerprints() throws -> [String: String] {
        try pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, fingerprint FROM session").map {
                ($0["id"] as String, $0["fingerprint"] as String)
            })
        }
    }

    /// Replaces everything indexed for one session.
    public func replace(_ sessions: [CatalogSession]) throws {
        try pool.write { db in
            for session in sessions {
                try self.delete(session.manifest.id, in: db)
                try self.insert(session, in: db)
            }
        }
    }

    /// Removes sessions that no longer exist.
    public func remove(_ ids: [String]) throws {
        try pool.write { db in for id in ids { try self.delete(id, in: db) } }
    }

    /// Removes everything (before a rebuild).
    public func removeAll() throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session; DELETE FROM doc; DELETE FROM topic; INSERT INTO doc_fts(doc_fts) VALUES('delete-all')")
        }
    }

    private func delete(_ id: String, in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, text FROM doc WHERE sessionID = ?", arguments: [id])
        for row in rows {
            let (exact, stems) = columns(row["text"])
            try db.execute(sql: "INSERT INTO doc_fts(doc_fts, rowid, exact, stems) VALUES('delete', ?, ?, ?)",
                           arguments: [row["id"] as Int64, exact, stems])
        }
        try db.execute(sql: "DELETE FROM doc WHERE sessionID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM topic WHERE sessionID = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id])
    }

    private func columns(_ text: String) -> (String, String) {
        let tokens = analyzer.tokens(text)
        return (tokens.map(\.exact).joined(separator: " "), tokens.map(\.stem).joined(separator: " "))
    }

    private func insert(_ session: CatalogSession, in db: Database) throws {
        let m = session.manifest
        let first = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM doc") ?? 0) + 1
        var next = first
        let docStatement = try db.makeStatement(sql: """
            INSERT INTO doc (id, sessionID, kind, start, text, speaker, speakerKey, agenda, agendaKey) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let ftsStatement = try db.makeStatement(sql: "INSERT INTO doc_fts (rowid, exact, stems) VALUES (?, ?, ?)")
        /// `timed`: the text belongs to a moment (a cue, a tag), so the speaker and agenda item then apply.
        func add(_ kind: String, at start: Double, timed: Bool = true, _ text: String) throws {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return }
            let (exact, stems) = columns(trimmed)
            guard !exact.isEmpty else { return }
            let speaker = timed ? session.timeline.speaker(at: start)?.value : nil
            let agenda = timed ? session.timeline.agendaItem(at: start)?.value : nil
            try docStatement.execute(arguments: [next, m.id, kind, start, trimmed, speaker, speaker.map(TextFolding.fold),
                                                 agenda, agenda.map(TextFolding.fold)])
            try ftsStatement.execute(arguments: [next, exact, stems])
            next += 1
        }
        try add("title", at: 0, timed: false, m.title)
        if let a = session.agenda {
            if let title = a.title, title != m.title { try add("title", at: 0, timed: false, title) }
            try add("description", at: 0, timed: false, [a.description, a.organiser].compactMap { $0 }.joined(separator: " — "))
            for person in a.speakers + a.participants {
                try add("roster", at: 0, timed: false, ([person.name, person.role, person.organisation].compactMap { $0 } + person.aliases).joined(separator: ", "))
            }
            for (index, item) in a.agenda.enumerated() {
                let start = session.timeline.agendaItems.first { $0.agendaNumber == index + 1 }?.start
                try add("agenda", at: start ?? 0, timed: start != nil, [item.title, item.description].compactMap { $0 }.joined(separator: ". "))
            }
        }
        for turn in session.timeline.speakerTurns {
            let role = session.agenda.flatMap { a in (a.speakers + a.participants).first { $0.name == turn.value } }
            try add("speaker", at: turn.start, [turn.value, role?.role, role?.organisation].compactMap { $0 }.joined(separator: ", "))
        }
        for topic in session.timeline.topics { try add("topic", at: topic.at, topic.value) }
        for note in session.timeline.notes { try add("note", at: note.at, note.value) }
        for cue in session.captions { try add("caption", at: cue.start, cue.text) }
        for stem in Set(session.timeline.topics.flatMap { analyzer.tokens($0.value).map(\.stem) }) {
            try db.execute(sql: "INSERT INTO topic (sessionID, stem) VALUES (?, ?)", arguments: [m.id, stem])
        }
        try db.execute(sql: "INSERT INTO session (id, title, startedAt, firstDoc, lastDoc, fingerprint) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [m.id, m.title, (m.startedAt ?? m.createdAt).timeIntervalSince1970,
                                   first, max(first, next - 1), session.fingerprint])
    }

    // MARK: - Searching

    /// The best hits for `query`, best first.
    public func search(_ query: SearchQuery, filters: SearchFilters = SearchFilters(), limit: Int = 20, now: Date = Date()) throws -> [SearchHit] {
        let expression = query.ftsExpression(analyzer: analyzer)
        return try pool.read { db in
            var conditions = ["doc_fts MATCH ?"]
            var arguments: [any DatabaseValueConvertible] = [expression]
            // Session and date filters become ranges of row ids.
            if filters.session != nil || filters.since != nil || filters.until != nil || filters.topic != nil {
                var sessionSQL = "SELECT firstDoc, lastDoc FROM session WHERE 1"
                var sessionArguments: [any DatabaseValueConvertible] = []
                if let id = filters.session { sessionSQL += " AND id = ?"; sessionArguments.append(id) }
                if let since = filters.since { sessionSQL += " AND startedAt >= ?"; sessionArguments.append(since.timeIntervalSince1970) }
                if let until = filters.until { sessionSQL += " AND startedAt < ?"; sessionArguments.append(until.timeIntervalSince1970) }
                if let topic = filters.topic {
                    let stems = analyzer.tokens(topic).map(\.stem)
                    guard !stems.isEmpty else { return [] }
                    for stem in stems {
                        sessionSQL += " AND id IN (SELECT sessionID FROM topic WHERE stem = ?)"
                        sessionArguments.append(stem)
                    }
                }
                let ranges = try Row.fetchAll(db, sql: sessionSQL, arguments: StatementArguments(sessionArguments)).map { ($0[0] as Int64, $0[1] as Int64) }
                guard !ranges.isEmpty else { return [] }
                conditions.append("(" + ranges.map { _ in "doc_fts.rowid BETWEEN ? AND ?" }.joined(separator: " OR ") + ")")
                for (a, b) in ranges { arguments.append(a); arguments.append(b) }
            }
            if let speaker = filters.speaker {
                conditions.append("doc.speakerKey LIKE ?")
                arguments.append("%" + TextFolding.fold(speaker) + "%")
            }
            if let agenda = filters.agenda {
                conditions.append("doc.agendaKey LIKE ?")
                arguments.append("%" + TextFolding.fold(agenda) + "%")
            }
            let sql = """
                SELECT doc.id, bm25(doc_fts, 2.0, 1.0) AS rank, doc.sessionID, doc.kind, doc.start, doc.text, doc.speaker, doc.agenda,
                       session.title, session.startedAt
                FROM doc_fts JOIN doc ON doc.id = doc_fts.rowid JOIN session ON session.id = doc.sessionID
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY doc_fts.rowid DESC LIMIT \(Self.candidateLimit)
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            var scored: [(Double, Row)] = rows.map { row in
                let kindWeight: Double = switch row["kind"] as String {
                case "title": 3
                case "agenda", "topic": 2
                case "speaker", "note", "description": 1.5
                default: 1
                }
                let ageDays = max(0, now.timeIntervalSince1970 - ((row["startedAt"] as Double?) ?? 0)) / 86_400
                let recency = 1 + 0.2 * exp(-ageDays / 365)
                return (-(row["rank"] as Double) * kindWeight * recency, row)
            }
            scored.sort { $0.0 > $1.0 }
            let forms = query.highlightForms(analyzer: analyzer)
            return scored.prefix(limit).map { score, row in
                let start: Double = row["start"]
                return SearchHit(session: row["sessionID"], title: row["title"],
                                 date: (row["startedAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                                 seconds: start, moment: Self.clock(start), speaker: row["speaker"], agenda: row["agenda"],
                                 matched: row["kind"], text: row["text"],
                                 snippet: Self.snippet(row["text"], forms: forms, analyzer: analyzer), score: score)
            }
        }
    }

    /// Number of indexed rows (for reports).
    public func documentCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM doc") ?? 0 }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }

    /// Up to ~160 characters of `text` around the first match, matched words in «».
    static func snippet(_ text: String, forms: (exact: Set<String>, stems: Set<String>, prefixes: [String]), analyzer: TextAnalyzer) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var marked: [String] = []
        var firstMatch: Int?
        for (index, word) in words.enumerated() {
            let folded = analyzer.words(String(word))
            let hit = folded.contains { w in
                forms.exact.contains(w) || forms.stems.contains(analyzer.stem(w)) || forms.prefixes.contains { w.hasPrefix($0) }
            }
            if hit, firstMatch == nil { firstMatch = index }
            marked.append(hit ? "«\(word)»" : String(word))
        }
        let center = firstMatch ?? 0
        var from = max(0, center - 8)
        var to = min(marked.count, center + 16)
        while to - from > 1, marked[from..<to].joined(separator: " ").count > 180 {
            if center - from > to - center { from += 1 } else { to -= 1 }
        }
        return (from > 0 ? "… " : "") + marked[from..<to].joined(separator: " ") + (to < marked.count ? " …" : "")
    }
}
