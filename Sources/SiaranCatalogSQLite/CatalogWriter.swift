import Foundation
import GRDB
import SiaranArchive
import SiaranCore
import SiaranSearch

// Indexing: a session's rows are written in one id range (titles, agenda, roster, tags as `doc` rows
// with their text; caption cues as packed `StoredCue`s pointing into the caption file), with their
// full-text tokens and per-token document counts for scoring.
extension SQLiteCatalog {
    /// Replaces everything indexed for these sessions, in one transaction. A session being recorded is
    /// left alone when another process indexed it after `freshAfter` (several searches during a
    /// briefing would otherwise each re-index the same live session, one after the other).
    func replace(_ sessions: [IndexedSession], freshAfter: Date?, in db: Database) throws {
        var counts = TermCounts()
        for session in sessions {
            if let freshAfter, session.manifest.state == .recording,
               let at = try Double.fetchOne(db, sql: "SELECT indexedAt FROM session WHERE id = ?", arguments: [session.manifest.id]),
               at > freshAfter.timeIntervalSince1970 { continue }
            try delete(session.manifest.id, in: db, counts: &counts)
            try insert(session, in: db, counts: &counts)
        }
        try counts.save(in: db)
    }

    /// Removes sessions that no longer exist.
    func remove(_ ids: [String], in db: Database) throws {
        var counts = TermCounts()
        for id in ids { try delete(id, in: db, counts: &counts) }
        try counts.save(in: db)
    }

    /// Empties the catalog (every session is then indexed again by the next refresh): how stale rows go.
    func clear(in db: Database) throws {
        try Self.clearRows(in: db)
    }

    static func clearRows(in db: Database) throws {
        try db.execute(sql: """
            DELETE FROM session; DELETE FROM doc; DELETE FROM topic; DELETE FROM label; DELETE FROM term; DELETE FROM caption_file;
            UPDATE counter SET nextDoc = 1, staleRows = 0, scanMarker = NULL, scannedAt = 0;
            INSERT INTO caption_fts(caption_fts) VALUES('delete-all'); INSERT INTO meta_fts(meta_fts) VALUES('delete-all');
            """)
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

    func delete(_ id: String, in db: Database, counts: inout TermCounts) throws {
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
            let stored: String = file["path"]
            let data = readCaptionFile(stored)
            guard let data, data.count >= bytes,
                  data.prefix(bytes).withUnsafeBytes({ CaptionSource.hash($0) }) == file["hash"] as Int64 else {
                stale += file["count"] as Int
                continue
            }
            let first: Int64 = file["first"]
            let machine = CaptionSource.isMachineTranscript(stored)
            for (index, cue) in StoredCue.decode(file["cues"], checkpoints: file["checkpoints"]).enumerated() where cue.text.upperBound <= bytes {
                let text = WebVTT.clean(String(decoding: data[cue.text], as: UTF8.self))
                let tokens = analyzer.tokens(text)
                counts.add(tokens, sign: -1)
                try captions.execute(arguments: [Self.ftsRowID(first + Int64(index)), Self.tokenString(tokens, speaker: cue.speaker, agenda: cue.agenda, machine: machine)])
            }
        }
        if stale > 0 { try db.execute(sql: "UPDATE counter SET staleRows = staleRows + ?", arguments: [stale]) }
        try db.execute(sql: "DELETE FROM caption_file WHERE session = ?", arguments: [number])
        try db.execute(sql: "DELETE FROM doc WHERE id BETWEEN ? AND ?", arguments: StatementArguments(range))
        try db.execute(sql: "DELETE FROM topic WHERE session = ?", arguments: [number])
        try db.execute(sql: "DELETE FROM session WHERE number = ?", arguments: [number])
    }

    /// The number of the label `name` of `kind`, created when new; `aliases` (a roster's other names
    /// for a speaker) are added to those it has.
    func label(_ kind: String, _ name: String?, aliases: [String] = [], in db: Database, cache: inout [String: Int64]) throws -> Int64? {
        guard let name, !name.isEmpty else { return nil }
        let key = kind + "\u{0}" + name
        if let known = cache[key] { return known }
        try db.execute(sql: "INSERT OR IGNORE INTO label (kind, name) VALUES (?, ?)", arguments: [kind, name])
        guard let row = try Row.fetchOne(db, sql: "SELECT number, name, aliases FROM label WHERE kind = ? AND name = ?", arguments: [kind, name]) else { return nil }
        let number: Int64 = row["number"]
        let known = Self.knownName(row).aliases
        let added = aliases.filter { !$0.isEmpty && $0 != name && !known.contains($0) }
        if !added.isEmpty {
            try db.execute(sql: "UPDATE label SET aliases = ? WHERE number = ?", arguments: [(known + added).joined(separator: "\n"), number])
        }
        cache[key] = number
        return number
    }

    func insert(_ session: IndexedSession, in db: Database, counts: inout TermCounts) throws {
        let m = session.manifest
        let first = try Int64.fetchOne(db, sql: "SELECT nextDoc FROM counter") ?? 1
        try db.execute(sql: "INSERT INTO session (id, title, startedAt, firstDoc, lastDoc, fingerprint, indexedAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [m.id, m.title, (m.startedAt ?? m.createdAt).timeIntervalSince1970, first, first - 1, session.fingerprint,
                                   Date().timeIntervalSince1970])
        let number = db.lastInsertedRowID
        var next = first
        var labelCache: [String: Int64] = [:]
        let roster = session.agenda.map { $0.speakers + $0.participants } ?? []
        func speaker(_ name: String?) throws -> Int64? {
            try label("speaker", name, aliases: name.map(session.rosterAliases) ?? [], in: db, cache: &labelCache)
        }
        /// The speaker and agenda item at `start`; a caption's voice tag names its speaker (by the
        /// roster name it is an alias of, when it is one).
        func labels(at start: Double, voice: String? = nil) throws -> (speaker: Int64?, agenda: Int64?) {
            var name = session.speakerLabel(at: start)
            if let voice { name = session.rosterName(voice) ?? voice }
            return (try speaker(name), try label("agenda", session.timeline.agendaItem(at: start)?.value, in: db, cache: &labelCache))
        }
        // Everyone on the roster is a speaker a filter may name, whether or not they were tagged.
        for person in roster { _ = try speaker(person.name) }
        let docStatement = try db.makeStatement(sql: "INSERT INTO doc (id, session, kind, start, text, speaker, agenda) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let metaStatement = try db.makeStatement(sql: "INSERT INTO meta_fts (rowid, tokens) VALUES (?, ?)")
        for entry in session.entries {
            let tokens = analyzer.tokens(entry.text)
            guard !tokens.isEmpty else { continue }
            let context: (speaker: Int64?, agenda: Int64?) = entry.timed ? try labels(at: entry.start) : (nil, nil)
            try docStatement.execute(arguments: [next, number, entry.kind.rawValue, entry.start, entry.text, context.speaker, context.agenda])
            try metaStatement.execute(arguments: [Self.ftsRowID(next), Self.tokenString(tokens, speaker: context.speaker, agenda: context.agenda)])
            counts.add(tokens, sign: 1)
            next += 1
        }

        let captionStatement = try db.makeStatement(sql: "INSERT INTO caption_fts (rowid, tokens) VALUES (?, ?)")
        let fileStatement = try db.makeStatement(sql: "INSERT INTO caption_file (session, path, first, count, bytes, hash, cues, checkpoints) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for source in session.captions {
            let fileFirst = next
            let machine = CaptionSource.isMachineTranscript(source.path)
            var stored: [StoredCue] = []
            stored.reserveCapacity(source.cues.count)
            for located in source.cues {
                let tokens = analyzer.tokens(located.cue.text)
                guard !tokens.isEmpty else { continue }
                let context = try labels(at: located.cue.start, voice: located.cue.voice)
                try captionStatement.execute(arguments: [Self.ftsRowID(next), Self.tokenString(tokens, speaker: context.speaker, agenda: context.agenda,
                                                                                                machine: machine)])
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
}
