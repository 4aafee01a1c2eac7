import Foundation
import Logging
import SiaranArchive
@testable import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// A word said in most cues: the shared catalog reads its newest rows session by session (schema v4's
/// `session.kinds`, `entry_tokens_fields`) and still finds what the SQLite catalog finds; a catalog
/// made before v4, with sessions in it, is upgraded in place (v4, then v5's word counts) and keeps
/// answering the same.
@Suite("Dense words")
struct DenseWordTests {
    let folder = TestFolder.make("dense-words")

    /// 8 sessions of 330 cues, every cue saying "informasi" (2,640 rows: more than a capped probe's
    /// first read of 2,000 matches); uploaded captions in odd sessions, machine transcripts in even ones.
    /// `rare`: one cue of session d2 says "informatika" (a completion of "informati*" in one row).
    func sessions(rare: Bool = false) throws -> [IndexedSession] {
        let words = ["pemilu", "hoaks", "logistik", "kampanye", "pemilih", "daftar", "tetap", "sosialisasi", "media", "kabupaten", "anggaran"]
        return try (0..<8).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400)
            var m = SessionManifest(id: "d\(n)", title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            let cues = (0..<330).map { (i: Int) -> Cue in
                let said = "informasi \(words[(i + n) % words.count]) \(words[(i * 3 + n) % words.count]) nomor \(i % 7)"
                return Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: rare && n == 2 && i == 100 ? "informatika pemilu" : said)
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

    @Test("the newest rows of a word in every cue, session by session, are the SQLite catalog's; kept the same through the upgrade from schema v3 and v4's word counts")
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

        // Schema v5's word counts, one row per office and token; an office with its own role.
        let counts = "SELECT string_agg(office || ':' || token || ':' || exact_docs || ':' || stem_docs, ',' ORDER BY token, office) FROM term"
        let words = try PostgresTestCluster.sql(url, counts)
        #expect(words.contains(",local:informasi:2648:2648,"))
        let similar = try await postgres.similarWords(to: "informasu", maxDistance: 2, limit: 5)
        #expect(similar.first?.word == "informasi" && similar.first?.rows == 2_648)
        let role = try PostgresTestCluster.newRole("dense")
        try await postgres.addOffice("bogor", role: role, seesAll: false, mediaURL: nil)

        // A catalog as schema v3 left it (rows pushed, no v4, v4's and earlier `term`, no v6 word list), opened by this Siaran: upgraded in place.
        try PostgresTestCluster.sql(url, """
            DROP TABLE term_word; DROP FUNCTION siaran_note_words() CASCADE;
            DROP INDEX entry_tokens_fields; DROP INDEX session_newest; ALTER TABLE session DROP COLUMN kinds;
            CREATE TABLE term_v4 (office text NOT NULL REFERENCES office (name), exact boolean NOT NULL, token text NOT NULL COLLATE "C",
                                  docs bigint NOT NULL, PRIMARY KEY (office, exact, token));
            INSERT INTO term_v4 SELECT office, true, token, exact_docs FROM term WHERE exact_docs > 0
                                UNION ALL SELECT office, false, token, stem_docs FROM term WHERE stem_docs > 0;
            DROP TABLE term; ALTER TABLE term_v4 RENAME TO term; CREATE INDEX term_token ON term (exact, token);
            ALTER TABLE term ENABLE ROW LEVEL SECURITY; GRANT SELECT, INSERT, UPDATE, DELETE ON term TO \(role);
            CREATE POLICY term_read ON term FOR SELECT USING (office = (SELECT siaran_viewer()));
            CREATE POLICY term_insert ON term FOR INSERT WITH CHECK (office = (SELECT siaran_role_office()));
            DELETE FROM siaran_schema WHERE version IN (4, 5, 6)
            """)
        let upgraded = try PostgresCatalog(url: url, logger: logger)
        for text in Self.queries {
            for (f, filter) in filters.enumerated() { #expect(try await seen(upgraded, text, filter) == expected["\(text) \(f)"], "\(text) \(filter)") }
        }
        #expect(try PostgresTestCluster.sql(url, "SELECT max(version) FROM siaran_schema") == "6")
        #expect(try PostgresTestCluster.sql(url, "SELECT string_agg(id || ':' || kinds, ',' ORDER BY id) FROM session") == kinds)
        #expect(try PostgresTestCluster.sql(url, "SELECT count(*) FROM pg_indexes WHERE indexname IN ('entry_tokens_fields', 'session_newest')") == "2")
        #expect(try PostgresTestCluster.sql(url, counts) == words)
        #expect(try await upgraded.similarWords(to: "informasu", maxDistance: 2, limit: 5) == similar)
        #expect(try await upgraded.rows(holding: "informasi") == 2_648)
        // A session pushed by a Siaran that knows no kinds (NULL) is still read.
        try PostgresTestCluster.sql(url, "UPDATE session SET kinds = NULL WHERE id = 'd7'")
        #expect(try await seen(upgraded, "informasi", SearchFilters()) == expected["informasi 0"])
        // The office's role pushes and reads its own counts (its grants and the policies made again), and sees no other office's.
        let bogor = try PostgresCatalog(url: PostgresTestCluster.url(url, as: role), office: "bogor", logger: logger)
        try await bogor.replace([try self.sessions()[0]])
        #expect(try await bogor.rows(holding: "informasi") == 331)
        #expect(try PostgresTestCluster.sql(url, "SELECT exact_docs || ':' || stem_docs FROM term WHERE office = 'bogor' AND token = 'informasi'") == "331:331")
        try await bogor.remove(["d0"])
        #expect(try PostgresTestCluster.sql(url, "SELECT count(*) FROM term WHERE office = 'bogor'") == "0")
        #expect(try PostgresTestCluster.sql(url, counts) == words)
    }

    @Test("a prefix* whose completions are rare reads their few rows through the word index, not session by session, and finds what SQLite finds")
    func rarePrefix() async throws {
        let sessions = try sessions(rare: true)
        let (sqlite, postgres) = try await TestEngine.bothHolding(sessions, folder: folder)
        for text in ["informati*", "informati* pemilu", "inform*"] {
            let recording = RecordingIndex(postgres)
            let found = try await seen(recording, text, SearchFilters())
            #expect(found == (try await seen(sqlite, text, SearchFilters())), "\(text)")
            #expect(!found.isEmpty, "\(text)")
            // The completions' rows are counted (1 row of "informatika"; "inform*": 2,647 of "informasi" and it).
            let rows = text == "inform*" ? 2_648 : 1
            #expect(recording.probes.map(\.matches) == recording.probes.map { _ in rows }, "\(text)")
            let bySession = recording.probes.filter { probe in probe.perSession.map { PostgresCatalog.dense(probe, each: $0 + 1) } ?? false }
            #expect(bySession.isEmpty == (text != "inform*"), "\(text)")
        }
    }
}
