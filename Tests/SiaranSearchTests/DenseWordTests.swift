import Foundation
import Logging
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// A word said in most cues: the shared catalog reads its newest rows session by session (schema v4's
/// `session.kinds`, `entry_tokens_fields`) and still finds what the SQLite catalog finds; a catalog
/// made before v4, with sessions in it, is upgraded in place and keeps answering the same.
@Suite("Dense words")
struct DenseWordTests {
    let folder = TestFolder.make("dense-words")

    /// 8 sessions of 330 cues, every cue saying "informasi" (2,640 rows: more than a capped probe's
    /// first read of 2,000 matches); uploaded captions in odd sessions, machine transcripts in even ones.
    func sessions() throws -> [IndexedSession] {
        let words = ["pemilu", "hoaks", "logistik", "kampanye", "pemilih", "daftar", "tetap", "sosialisasi", "media", "kabupaten", "anggaran"]
        return try (0..<8).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400)
            var m = SessionManifest(id: "d\(n)", title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            let cues = (0..<330).map { i in
                Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: "informasi \(words[(i + n) % words.count]) \(words[(i * 3 + n) % words.count]) nomor \(i % 7)")
            }
            let name = n % 2 == 0 ? "asr.vtt" : "01-id.vtt"
            try FileManager.default.createDirectory(atPath: folder + "/d\(n)", withIntermediateDirectories: true)
            let captions = try CaptionSource.write(cues, to: folder + "/d\(n)/\(name)")
            let tags = [SessionEvent(kind: .speaker, media: 0, value: "Ilham Saputra"), SessionEvent(kind: .note, media: 50, value: "catatan informasi \(n)")]
            return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: tags, end: 1400), captions: [captions], fingerprint: "f\(n)")
        }
    }

    func seen(_ index: any SearchIndex, _ text: String, _ filters: SearchFilters) async throws -> [String] {
        try await index.search(try SearchQuery(text), filters: filters, limit: 20, perSession: 3, now: Date(timeIntervalSince1970: 1_800_000_000))
            .map { "\($0.session)@\($0.seconds) \($0.matched) \($0.snippet) \(($0.score * 1e9).rounded())" }
    }

    static let queries = ["informasi", "inform*", "informasi pemilu", "informasi -hoaks", "\"informasi pemilu\"", "catatan informasi"]

    @Test("the newest rows of a word in every cue, session by session, are the SQLite catalog's; kept the same through the upgrade from schema v3")
    func sameAsSQLiteAndUpgraded() async throws {
        let sessions = try sessions()
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder)
        try await sqlite.replace(sessions)
        let url = try PostgresTestCluster.newDatabase()
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let postgres = try PostgresCatalog(url: url, logger: logger)
        try await postgres.replace(sessions)
        #expect(try await postgres.rows(holding: "informasi") == 2_648)  // and the 8 notes
        let filters = [SearchFilters(), SearchFilters(session: "d3"), SearchFilters(since: Date(timeIntervalSince1970: 1_700_000_000 + 3 * 86_400)),
                       SearchFilters(kinds: [.transcript])]
        var expected: [String: [String]] = [:]
        for text in Self.queries {
            for (f, filter) in filters.enumerated() {
                let a = try await seen(sqlite, text, filter)
                #expect(try await seen(postgres, text, filter) == a, "\(text) \(filter)")
                #expect(!a.isEmpty || text.hasPrefix("catatan"), "\(text) \(filter)")
                expected["\(text) \(f)"] = a
            }
        }
        // Each session knows its kinds of rows: captions (bit 0) or transcripts (bit 8), the title (1), speaker (5) and note (7) rows.
        let kinds = try PostgresTestCluster.sql(url, "SELECT string_agg(id || ':' || kinds, ',' ORDER BY id) FROM session")
        let mask = { (n: Int) in (n % 2 == 0 ? 1 << 8 : 1) | 1 << 1 | 1 << 5 | 1 << 7 }
        #expect(kinds == (0..<8).map { "d\($0):\(mask($0))" }.joined(separator: ","))

        // A catalog as schema v3 left it (rows pushed, no v4), opened by this Siaran: upgraded in place.
        try PostgresTestCluster.sql(url, """
            DROP INDEX entry_tokens_fields; DROP INDEX session_newest; ALTER TABLE session DROP COLUMN kinds;
            DELETE FROM siaran_schema WHERE version = 4
            """)
        let upgraded = try PostgresCatalog(url: url, logger: logger)
        for text in Self.queries {
            for (f, filter) in filters.enumerated() { #expect(try await seen(upgraded, text, filter) == expected["\(text) \(f)"], "\(text) \(filter)") }
        }
        #expect(try PostgresTestCluster.sql(url, "SELECT max(version) FROM siaran_schema") == "4")
        #expect(try PostgresTestCluster.sql(url, "SELECT string_agg(id || ':' || kinds, ',' ORDER BY id) FROM session") == kinds)
        #expect(try PostgresTestCluster.sql(url, "SELECT count(*) FROM pg_indexes WHERE indexname IN ('entry_tokens_fields', 'session_newest')") == "2")
        // A session pushed by a Siaran that knows no kinds (NULL) is still read.
        try PostgresTestCluster.sql(url, "UPDATE session SET kinds = NULL WHERE id = 'd7'")
        #expect(try await seen(upgraded, "informasi", SearchFilters()) == expected["informasi 0"])
    }
}
