import Foundation
import GRDB
import SiaranArchive
@testable import SiaranCatalogSQLite
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

@Suite("Catalog schema and damaged catalogs")
struct CatalogSchemaTests {
    /// An archive with one session whose title holds `word`.
    func archive(titled word: String) throws -> Archive {
        let archive = Archive(path: TestFolder.make("schema"))
        let id = try archive.createSessionDirectory(title: "Rapat \(word)", date: Date())
        var m = SessionManifest(id: id, title: "Rapat \(word)", kind: .imported, source: "x.mp4", createdAt: Date(),
                                segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        try archive.saveManifest(m)
        return archive
    }

    /// Runs SQL on the file directly (synchronously: GRDB's async overloads are not wanted here).
    func execute(_ path: String, _ body: (Database) throws -> Void) throws {
        try DatabaseQueue(path: path).inDatabase(body)
    }

    func applied(_ path: String) throws -> Set<String> {
        try DatabaseQueue(path: path).inDatabase { try String.fetchSet($0, sql: "SELECT identifier FROM grdb_migrations") }
    }

    @Test("a catalog built by an earlier Siaran (migrations v1…v11 recorded) is used as it is")
    func earlierVersionsCatalog() async throws {
        let archive = try archive(titled: "pleno")
        let path = SQLiteCatalogEngine.path(of: archive)
        try await TestCatalog.refresh(archive)
        try execute(path) { db in
            for n in 1..<CatalogSchema.version { try db.execute(sql: "INSERT OR IGNORE INTO grdb_migrations VALUES (?)", arguments: ["v\(n)"]) }
        }
        let index = try TestCatalog.open(archive)
        #expect(try await index.indexedSessions().count == 1, "the indexed session survived")
        #expect(try applied(path).contains("v\(CatalogSchema.version)"))
    }

    @Test("a catalog of an older schema is emptied and rebuilt from the session files")
    func olderSchemaRebuilt() async throws {
        let archive = try archive(titled: "pleno")
        let path = SQLiteCatalogEngine.path(of: archive)
        try execute(path) { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v1'), ('v2');")
            try db.execute(sql: "CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT NOT NULL)")
        }
        let index = try await TestCatalog.refresh(archive)
        #expect(try await index.search(SearchQuery("pleno")).map(\.matched) == ["title"])
        // Every identifier up to today's is recorded: an earlier Siaran sharing the archive finds the catalog complete.
        #expect(try applied(path) == Set((1...CatalogSchema.version).map { "v\($0)" }))
    }

    @Test("a catalog written by a newer Siaran is refused with a message, not destroyed")
    func newerSchemaRefused() throws {
        let archive = try archive(titled: "pleno")
        let path = SQLiteCatalogEngine.path(of: archive)
        try execute(path) { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('v99');")
        }
        do {
            _ = try SQLiteCatalog(path: path)
            Issue.record("a v99 catalog was opened")
        } catch {
            #expect(error.code == .supersededSchema)
            #expect("\(error)".contains("newer Siaran") && "\(error)".contains("v99"), "\(error)")
        }
        #expect(try applied(path) == ["v99"], "the newer catalog is left alone")
    }

    @Test("a garbage catalog file is rebuilt from the session files; the error of one that cannot be is plain words")
    func garbageRebuilt() async throws {
        let archive = try archive(titled: "pleno")
        let path = SQLiteCatalogEngine.path(of: archive)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        let index = try await TestCatalog.refresh(archive)
        #expect(try await index.search(SearchQuery("pleno")).count == 1)
        // Read-only and damaged catalogs are explained, not shown as "SQLite error 8".
        let readOnly = CatalogError(.cannotWrite, path: path, call: "replace", underlying: DatabaseError(resultCode: .SQLITE_READONLY))
        #expect("\(readOnly)".contains("read-only") && !"\(readOnly)".contains("error 8"), "\(readOnly)")
        let corrupt = CatalogError(.cannotRead, path: path, call: "search", underlying: DatabaseError(resultCode: .SQLITE_CORRUPT))
        #expect("\(corrupt)".contains("siaran reindex"), "\(corrupt)")
    }
}
