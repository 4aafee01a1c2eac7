import Foundation
import GRDB
import SiaranSearch

/// The catalog's schema, today's, in one piece. The catalog is derived from the session files, so a
/// schema change is not a migration of data: a catalog of an older schema is emptied and created
/// anew (the next refresh indexes every session again), and one of a newer schema (written by a
/// newer Siaran sharing the archive) is refused rather than destroyed.
///
/// Versions are recorded as GRDB migration identifiers (`v1`…`v11`, as catalogs built by earlier
/// Siaran versions hold them). To change the schema: edit `create`, bump `version`, and say in the
/// comment below what changed.
///
/// History: v2 compact rows with speaker/agenda as tokens; v3 row ids counting down; v4 caption and
/// meta full-text tables apart; v5 rows numbered up, full-text ids down, no column sizes; v6 when each
/// session was indexed; v7 no caption text (cues point into the caption files), `detail=none`;
/// v8 the archive's change marker; v9 FTS5's `ascii` tokenizer (each analyzed word one token);
/// v10 checkpoints into packed cues; v11 session spans by date from the index alone; v12 labels with
/// their aliases (whole-word filters), the analyzer's version (a catalog made by another analyzer is
/// emptied and indexed again); v13 machine-transcript rows marked, so they are read apart.
enum CatalogSchema {
    /// Today's schema version.
    static let version = 13
    static var identifier: String { "v\(version)" }

    static let create = """
        CREATE TABLE session (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            startedAt REAL NOT NULL,
            firstDoc INTEGER NOT NULL,
            lastDoc INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            indexedAt REAL NOT NULL DEFAULT 0
        );
        CREATE INDEX session_first ON session(firstDoc);
        CREATE INDEX session_span ON session(startedAt, firstDoc, lastDoc);
        CREATE TABLE label (
            number INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '',
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
        CREATE TABLE topic (session INTEGER NOT NULL, stem TEXT NOT NULL);
        CREATE INDEX topic_stem ON topic(stem);
        CREATE TABLE term (column INTEGER NOT NULL, token TEXT NOT NULL, docs INTEGER NOT NULL, PRIMARY KEY (column, token)) WITHOUT ROWID;
        CREATE TABLE caption_file (
            session INTEGER NOT NULL,
            path TEXT NOT NULL,
            first INTEGER NOT NULL,
            count INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            cues BLOB NOT NULL,
            checkpoints BLOB NOT NULL DEFAULT x''
        );
        CREATE INDEX caption_file_session ON caption_file(session);
        CREATE TABLE counter (nextDoc INTEGER NOT NULL, staleRows INTEGER NOT NULL, scanMarker TEXT, scannedAt REAL NOT NULL DEFAULT 0);
        INSERT INTO counter VALUES (1, 0, NULL, 0);
        CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE VIRTUAL TABLE caption_fts USING fts5(tokens, content='', columnsize=0, detail=none, tokenize='ascii');
        CREATE VIRTUAL TABLE meta_fts USING fts5(tokens, content='', columnsize=0, detail=none, tokenize='ascii');
        """

    /// What the file holds, by the versions recorded in it.
    enum State: Equatable {
        case current, empty, older, newer(Int)
    }

    static func state(applied: Set<String>) -> State {
        let versions = applied.compactMap { $0.hasPrefix("v") ? Int($0.dropFirst()) : nil }
        if let newest = versions.max(), newest > version { return .newer(newest) }
        if applied.contains(identifier) { return .current }
        return applied.isEmpty ? .empty : .older
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(identifier) { db in try db.execute(sql: create) }
        return migrator
    }

    /// Creates today's schema, and records every earlier identifier too: the schema is the one those
    /// steps led to, so an earlier Siaran sharing the archive finds its catalog complete, not half
    /// migrated (it would try to create tables that exist).
    private static func create(_ pool: DatabasePool, _ migrator: DatabaseMigrator) throws {
        try migrator.migrate(pool)
        try pool.write { db in
            for step in 1..<version {
                try db.execute(sql: "INSERT OR IGNORE INTO grdb_migrations (identifier) VALUES (?)", arguments: ["v\(step)"])
            }
        }
    }

    /// Empties a catalog whose rows another analyzer made (another stemmer, root list or folding):
    /// its tokens would not meet today's queries. The next refresh indexes every session again.
    static func checkAnalyzer(_ pool: DatabasePool, path: String, clear: @escaping @Sendable (Database) throws -> Void) throws(CatalogError) {
        do {
            let stored = try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = 'analyzer'") }
            guard stored != TextAnalyzer.version else { return }
            try pool.write { db in
                try clear(db)
                try db.execute(sql: "INSERT OR REPLACE INTO setting (name, value) VALUES ('analyzer', ?)", arguments: [TextAnalyzer.version])
            }
        } catch {
            throw CatalogError(.cannotWrite, path: path, call: "open", underlying: error)
        }
    }

    /// Makes the file at `path` hold today's schema (see the type's comment).
    static func prepare(_ pool: DatabasePool, path: String) throws(CatalogError) {
        do {
            let migrator = Self.migrator
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            switch state(applied: applied) {
            case .current:
                return
            case let .newer(found):
                throw CatalogError(.supersededSchema, path: path, call: "open", reason:
                    "it was written by a newer Siaran (schema v\(found); this one knows v\(version)); "
                    + "use that version, or delete the file to let this one rebuild it from the session files")
            case .older:
                try pool.erase()
                try create(pool, migrator)
            case .empty:
                try create(pool, migrator)
            }
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.cannotOpen, path: path, call: "open", underlying: error)
        }
    }
}
