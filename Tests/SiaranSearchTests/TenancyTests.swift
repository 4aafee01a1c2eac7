import Foundation
import Logging
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Offices as tenants of one shared catalog, enforced by PostgreSQL's row-level security: each office
/// logs in with its own database role and sees its own sessions, those shared with it, or all of them
/// for the national team — through Siaran and through SQL typed by hand.
@Suite("Shared catalog tenancy")
struct TenancyTests {
    let folder = TestFolder.make("tenancy")

    func session(_ id: String, _ title: String, _ lines: [String], speaker: String) throws -> IndexedSession {
        let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(id.hashValue & 0xffff))
        var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "0.ts", mediaStart: 0, duration: 600, wallClockStart: date, bytes: 1, discontinuity: false)]
        let cues = lines.enumerated().map { Cue(start: Double($0.offset * 10), end: Double($0.offset * 10 + 8), text: $0.element) }
        let captions = try CaptionSource.write(cues, to: folder + "/\(id).vtt")
        let tags = [SessionEvent(kind: .speaker, media: 0, value: speaker)]
        return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: tags, end: 600), captions: [captions], fingerprint: id)
    }

    func catalog(_ url: String, office: String) throws -> PostgresCatalog {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        return try PostgresCatalog(url: url, office: office, logger: logger)
    }

    func sessions(_ index: PostgresCatalog, _ text: String, filters: SearchFilters = SearchFilters()) async throws -> Set<String> {
        let result = try await ArchiveSearch(index: index).run(text, filters: filters, limit: 50, perSession: 10, now: Date())
        return Set(result.hits.map(\.session))
    }

    @Test("each office's role sees its own sessions and what is shared with it; the national role sees all; nobody writes another office's rows")
    func tenancy() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakartaRole = try PostgresTestCluster.newRole("jakarta"), bandungRole = try PostgresTestCluster.newRole("bandung")
        let nationalRole = try PostgresTestCluster.newRole("pusat"), strangerRole = try PostgresTestCluster.newRole("stranger")
        let owner = try catalog(url, office: "pusat")
        try await owner.addOffice("jakarta", role: jakartaRole, seesAll: false, mediaURL: "https://jakarta.example/siaran")
        try await owner.addOffice("bandung", role: bandungRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: nationalRole, seesAll: true, mediaURL: nil)

        let jakarta = try catalog(PostgresTestCluster.url(url, as: jakartaRole), office: "jakarta")
        let bandung = try catalog(PostgresTestCluster.url(url, as: bandungRole), office: "bandung")
        let national = try catalog(PostgresTestCluster.url(url, as: nationalRole), office: "pusat")
        // Both offices index at once while the national team searches.
        async let a: Void = jakarta.replace([try session("j1", "Rapat Jakarta", ["anggaran pemilu jakarta", "hoaks di media sosial"], speaker: "Ani"),
                                             try session("j2", "Pleno Jakarta", ["rekapitulasi suara jakarta"], speaker: "Budi")])
        async let b: Void = bandung.replace([try session("b1", "Rapat Bandung", ["anggaran logistik bandung", "hoaks pemilu"], speaker: "Cici"),
                                             try session("b2", "Rahasia Bandung", ["rapat internal bandung"], speaker: "Dedi")])
        async let searching = sessions(national, "anggaran")
        _ = try await (a, b, searching)

        #expect(try await sessions(jakarta, "anggaran OR rapat OR hoaks") == ["j1"])
        #expect(try await sessions(bandung, "anggaran OR rapat OR hoaks") == ["b1", "b2"])
        #expect(try await sessions(national, "anggaran OR rapat OR hoaks") == ["j1", "b1", "b2"])
        // A hit says whose it is and where it plays from.
        let hit = try await ArchiveSearch(index: national).run("hoaks media", filters: SearchFilters(), limit: 5, perSession: 3, now: Date()).hits.first
        #expect(hit?.office == "jakarta" && hit?.playFrom == "https://jakarta.example/siaran", "\(String(describing: hit))")
        // An office filter, and the national role narrowed to one office's view (as for its users).
        #expect(try await sessions(national, "anggaran", filters: SearchFilters(office: "bandung")) == ["b1"])
        #expect(try await sessions(national, "anggaran OR rapat", filters: SearchFilters(viewer: "jakarta")) == ["j1"])
        // Users of different offices searching one after another on the national server: each search
        // sets its office's view with it (at most 3 statements), and row-level security still decides.
        for (viewer, expected) in [("jakarta", ["j1"]), ("bandung", ["b1"]), (nil, ["j1", "b1"]), ("jakarta", ["j1"]), ("jakarta", ["j1"])] as [(String?, Set<String>)] {
            for index in [national, viewer.map { national.viewed(by: $0) } ?? national] as [any SearchIndex] {
                let before = national.queriesSent
                let found = try await ArchiveSearch(index: index).run("anggaran", filters: SearchFilters(viewer: viewer), limit: 50, perSession: 10, now: Date())
                let sent = national.queriesSent - before
                #expect(Set(found.hits.map(\.session)) == expected && (2...3).contains(sent), "\(viewer ?? "national") \(index): \(sent) statements")
            }
        }
        // Did-you-mean and the known names come from the words and labels the office may see.
        #expect(try await jakarta.similarWords(to: "bandunk", maxDistance: 2, limit: 5).isEmpty)
        #expect(try await bandung.similarWords(to: "bandunk", maxDistance: 2, limit: 5).map(\.word) == ["bandung"])
        #expect(try await jakarta.knownNames(.speaker).map(\.name) == ["Ani", "Budi"])

        // Bandung shares one session with Jakarta: Jakarta sees that one, not the other.
        try await bandung.share(session: "b1", with: "jakarta")
        #expect(try await sessions(jakarta, "anggaran OR rapat OR hoaks") == ["j1", "b1"])
        #expect(try await sessions(national, "anggaran OR rapat", filters: SearchFilters(viewer: "jakarta")) == ["j1", "b1"])
        try await bandung.unshare(session: "b1", with: "jakarta")
        #expect(try await sessions(jakarta, "anggaran") == ["j1"])
        // Shared with every office, all of Bandung's sessions.
        try await bandung.share(session: "*", with: "*")
        #expect(try await sessions(jakarta, "anggaran OR rapat") == ["j1", "b1", "b2"])
        try await bandung.unshare(session: "*", with: "*")
        await #expect(throws: (any Error).self) { try await bandung.share(session: "nope", with: "jakarta") }

        // Hand-typed SQL with Jakarta's role: only what it may see, and no writes to Bandung's rows.
        let jakartaSQL = PostgresTestCluster.url(url, as: jakartaRole)
        #expect(try PostgresTestCluster.sql(jakartaSQL, "SELECT string_agg(id, ',' ORDER BY id) FROM session") == "j1,j2")
        #expect(try PostgresTestCluster.sql(jakartaSQL, "SELECT count(*) FROM entry WHERE text LIKE '%bandung%'") == "0")
        #expect(try PostgresTestCluster.sql(jakartaSQL, "SELECT count(*) FROM term WHERE token = 'bandung'") == "0")
        #expect(try PostgresTestCluster.sql(jakartaSQL, "WITH d AS (DELETE FROM session WHERE office = 'bandung' RETURNING 1) SELECT count(*) FROM d") == "0")
        #expect(throws: (any Error).self) { try PostgresTestCluster.sql(jakartaSQL, "UPDATE office SET sees_all = true") }
        #expect(throws: (any Error).self) {
            try PostgresTestCluster.sql(jakartaSQL, "INSERT INTO session (office, id, title, started_at, first_doc, last_doc, fingerprint, indexed_at) VALUES ('bandung', 'x', 'x', 0, 1, 1, 'x', 0)")
        }
        #expect(throws: (any Error).self) { try PostgresTestCluster.sql(jakartaSQL, "INSERT INTO share VALUES ('bandung', '*', 'jakarta')") }
        #expect(try PostgresTestCluster.sql(jakartaSQL, "WITH u AS (UPDATE term SET exact_docs = 0 WHERE office = 'bandung' RETURNING 1) SELECT count(*) FROM u") == "0")
        // Each office reports its pushes (its own row only); the national role reads every office's.
        let at = Date(timeIntervalSince1970: 1_750_000_000)
        func push(_ behind: Int, failed: String?, at: Date) -> OfficePush {
            OfficePush(countedAt: at, sessionsBehind: behind, rowsBehind: behind * 20, removalsBehind: 0, lastSuccess: failed == nil ? at : nil,
                       lastFailure: failed == nil ? nil : at, lastError: failed, zone: "Asia/Makassar")
        }
        try await jakarta.recordPush(push(2, failed: "no route to host", at: at))
        try await bandung.recordPush(push(0, failed: nil, at: at))
        #expect(try await national.status().offices.map { $0.push?.sessionsBehind } == [0, 2, nil])
        #expect(try await jakarta.status().offices.map { $0.push?.lastError } == [nil, "no route to host", nil])
        #expect(try await national.status().offices[1].push?.failing == true)
        // A later success keeps the last failure (and when), no longer failing.
        try await jakarta.recordPush(push(0, failed: nil, at: at + 60))
        let later = try await national.status().offices[1].push
        #expect(later?.lastError == "no route to host" && later?.lastFailure == at && later?.failing == false && later?.zone == "Asia/Makassar")
        #expect(try PostgresTestCluster.sql(jakartaSQL, "SELECT string_agg(office, ',') FROM push_status") == "jakarta")
        #expect(throws: (any Error).self) {
            try PostgresTestCluster.sql(jakartaSQL, "INSERT INTO push_status (office, counted_at, sessions_behind, rows_behind, removals_behind) VALUES ('pusat', 0, 0, 0, 0)")
        }
        #expect(try PostgresTestCluster.sql(jakartaSQL, "WITH u AS (UPDATE push_status SET sessions_behind = 9 WHERE office = 'bandung' RETURNING 1) SELECT count(*) FROM u") == "0")
        // A role that is no office's is refused.
        #expect(throws: (any Error).self) { try PostgresTestCluster.sql(PostgresTestCluster.url(url, as: strangerRole), "SELECT count(*) FROM session") }
        #expect(throws: (any Error).self) { try PostgresTestCluster.sql(PostgresTestCluster.url(url, as: strangerRole), "SELECT count(*) FROM entry") }

        // Jakarta's role cannot act as Bandung, and says what to do.
        let posing = try catalog(PostgresTestCluster.url(url, as: jakartaRole), office: "bandung")
        do {
            _ = try await posing.indexedSessions()
            Issue.record("Jakarta's role acted as Bandung")
        } catch {
            #expect("\(error)".contains("--office jakarta"), "\(error)")
        }
        // Status: every office, what the asker sees of each.
        let status = try await national.status()
        #expect(status.schemaVersion >= 3 && status.actingAs == "pusat" && status.indexedTenantSearch)
        #expect(status.offices.map(\.name) == ["bandung", "jakarta", "pusat"] && status.offices.map(\.sessions) == [2, 2, 0])
        #expect(try await jakarta.status().offices.map(\.sessions) == [0, 2, 0])
        // Re-indexing one office leaves the other's rows alone.
        try await jakarta.clear()
        #expect(try await sessions(national, "anggaran OR rapat") == ["b1", "b2"])
    }

    @Test("an office's role searches through the word index, as the owner does")
    func indexedPlans() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let role = try PostgresTestCluster.newRole("plans")
        let owner = try catalog(url, office: "x")
        try await owner.addOffice("x", role: role, seesAll: false, mediaURL: nil)
        let office = try catalog(PostgresTestCluster.url(url, as: role), office: "x")
        try await office.replace([try session("p1", "Rapat", (0..<200).map { "kalimat nomor \($0) tentang anggaran" }, speaker: "Ani")])
        try PostgresTestCluster.sql(url, "ANALYZE")
        let plan = try PostgresTestCluster.sql(PostgresTestCluster.url(url, as: role), """
            SET enable_seqscan = off; EXPLAIN SELECT count(*) FROM entry WHERE tokens @@ '''anggaran'''::tsquery 
            """)
        #expect(plan.contains("entry_tokens"), "\(plan)")
    }
}
