import Foundation
import Logging
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Offices upgrade Siaran one at a time: an office whose Siaran knows an older schema keeps pushing to
/// a catalog a newer Siaran upgraded additively, and is refused — with nothing changed — by one whose
/// newer schema it cannot write safely.
@Suite("Shared catalog schema versions")
struct SharedSchemaVersionTests {
    let folder = TestFolder.make("schema-versions")

    func session(_ id: String, _ line: String) throws -> IndexedSession {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        var m = SessionManifest(id: id, title: "Rapat \(id)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        let captions = try CaptionSource.write([Cue(start: 0, end: 5, text: line)], to: folder + "/\(id).vtt")
        return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 60), captions: [captions], fingerprint: id)
    }

    func catalog(_ url: String, office: String) throws -> PostgresCatalog {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        return try PostgresCatalog(url: url, office: office, logger: logger)
    }

    @Test("an additive newer schema (this Siaran's version + 1, compatible with it) takes this Siaran's pushes; an incompatible one (+ 2) is refused and left as it was")
    func versions() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let role = try PostgresTestCluster.newRole("versi")
        try await catalog(url, office: "pusat").addOffice("lolak", role: role, seesAll: false, mediaURL: nil)
        let office = PostgresTestCluster.url(url, as: role)
        try await catalog(office, office: "lolak").replace([try session("s1", "anggaran pemilu lolak")])
        // A newer Siaran's additive migration: a new nullable column, a new table, compatible with this one.
        let current = try #require(Int(try PostgresTestCluster.sql(url, "SELECT max(version) FROM siaran_schema")))
        try PostgresTestCluster.sql(url, """
            ALTER TABLE session ADD COLUMN spoken_language text;
            CREATE TABLE session_note (session bigint REFERENCES session (number) ON DELETE CASCADE, note text);
            INSERT INTO siaran_schema (version, compatible_from) VALUES (\(current + 1), \(current))
            """)
        let older = try catalog(office, office: "lolak")
        try await older.replace([try session("s2", "logistik pemilu lolak")])
        let found = try await older.search(try SearchQuery("pemilu"), limit: 10)
        #expect(Set(found.map(\.session)) == ["s1", "s2"])
        #expect(try await older.status().schemaVersion == current + 1)

        // A newer version that older offices cannot write safely (or that says nothing) is refused.
        let facts = "SELECT (SELECT count(*) FROM session) || ' ' || (SELECT count(*) FROM entry) || ' ' || (SELECT max(version) FROM siaran_schema)"
        let newer = current + 2
        for statement in ["INSERT INTO siaran_schema (version, compatible_from) VALUES (\(newer), \(newer))", "UPDATE siaran_schema SET compatible_from = NULL WHERE version = \(newer)"] {
            try PostgresTestCluster.sql(url, statement)
            let before = try PostgresTestCluster.sql(url, facts)
            do {
                try await catalog(office, office: "lolak").replace([try session("s3", "rekapitulasi pemilu lolak")])
                Issue.record("a push to an incompatible newer schema was accepted")
            } catch {
                let message = "\(error)"
                #expect(message.contains("schema v\(newer)") && message.contains("nothing was changed") && message.contains("newer Siaran"), "\(message)")
            }
            // The owner's Siaran is refused alike, and migrates nothing.
            await #expect(throws: (any Error).self) { try await catalog(url, office: "pusat").status() }
            #expect(try PostgresTestCluster.sql(url, facts) == before)
        }
    }
}
