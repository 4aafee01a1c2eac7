import Foundation
import GRDB
import SiaranSearch

// The catalog as a `SearchIndex`: each call runs on GRDB's own reader or writer queue (never on the
// caller's thread pool), and its failures become `CatalogError`s that name the call.
extension SQLiteCatalog: SearchIndex {
    public func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary {
        try await read("vocabulary") { db in try self.vocabulary(request, in: db) }
    }

    public func candidates(_ request: CandidateRequest) async throws -> [CandidateList] {
        try await read("search") { db in try self.candidates(request, in: db) }
    }

    /// In-process: a search asks only what it still needs.
    public var batchesProbes: Bool { false }

    public func indexedSessions() async throws -> [String: IndexedState] {
        try await read("indexedSessions") { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, fingerprint, indexedAt FROM session").map {
                ($0["id"] as String, IndexedState(fingerprint: $0["fingerprint"], indexedAt: Date(timeIntervalSince1970: $0["indexedAt"])))
            })
        }
    }

    public func replace(_ sessions: [IndexedSession], freshAfter: Date?) async throws {
        try await write("replace") { db in try self.replace(sessions, freshAfter: freshAfter, in: db) }
    }

    public func remove(_ ids: [String]) async throws {
        try await write("remove") { db in try self.remove(ids, in: db) }
    }

    public func lastScan() async throws -> ArchiveScan {
        try await read("lastScan") { db in
            let row = try Row.fetchOne(db, sql: "SELECT scanMarker, scannedAt FROM counter")
            return ArchiveScan(marker: row?["scanMarker"], at: Date(timeIntervalSince1970: row?["scannedAt"] ?? 0))
        }
    }

    public func setLastScan(_ scan: ArchiveScan) async throws {
        try await write("setLastScan") { db in
            try db.execute(sql: "UPDATE counter SET scanMarker = ?, scannedAt = ?", arguments: [scan.marker, scan.at.timeIntervalSince1970])
        }
    }

    /// Full-text rows left behind by caption files that changed or vanished before their session was
    /// re-indexed (their ids belong to no session, so searches skip them).
    public func staleEntries() async throws -> Int {
        try await read("staleEntries") { db in try Int.fetchOne(db, sql: "SELECT staleRows FROM counter") ?? 0 }
    }

    public func needsCompaction() async throws -> Bool {
        try await read("needsCompaction") { db in
            let stale = try Int.fetchOne(db, sql: "SELECT staleRows FROM counter") ?? 0
            let live = try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM caption_file") ?? 0
            return stale > max(5_000, live / 5)
        }
    }

    public func clear() async throws {
        try await write("clear") { db in try self.clear(in: db) }
    }

    /// Merges the full-text indexes into one segment each and empties the write-ahead log (after a rebuild).
    public func optimize() async throws {
        do {
            try await pool.writeWithoutTransaction { db in
                for table in ["caption_fts", "meta_fts"] { try db.execute(sql: "INSERT INTO \(table)(\(table)) VALUES('optimize')") }
                // The merge frees the pages of the segments it merged: give them back to the file system.
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw CatalogError(.cannotWrite, path: path, call: "optimize", underlying: error)
        }
    }

    public func entryCount() async throws -> Int {
        try await read("entryCount") { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM doc") ?? 0) + (try Int.fetchOne(db, sql: "SELECT coalesce(sum(count), 0) FROM caption_file") ?? 0)
        }
    }

    public func similarWords(to word: String, maxDistance: Int, limit: Int) async throws -> [IndexedWord] {
        try await read("similarWords") { db in try self.similarWords(to: word, maxDistance: maxDistance, limit: limit, in: db) }
    }

    public func rows(holding word: String) async throws -> Int {
        try await read("rows") { db in try self.rows(holding: word, in: db) }
    }

    public func knownNames(_ field: FilterField) async throws -> [KnownName] {
        try await read("knownNames") { db in try self.knownNames(field, in: db) }
    }

    private func read<T: Sendable>(_ call: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        do { return try await pool.read(body) } catch let error as CatalogError { throw error } catch {
            throw CatalogError(.cannotRead, path: path, call: call, underlying: error)
        }
    }

    private func write<T: Sendable>(_ call: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        do { return try await pool.write(body) } catch let error as CatalogError { throw error } catch {
            throw CatalogError(.cannotWrite, path: path, call: call, underlying: error)
        }
    }
}
