import Foundation
import Synchronization
import HummingbirdTesting
import Logging
import NIOCore
import SiaranAccounts
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
@testable import SiaranServer
import SiaranSearch
import SiaranTestSupport
import Testing

/// A national `siaran serve --catalog …` with users of three offices: each signed-in user's searches
/// and session pages run with their office named in the transaction, so PostgreSQL's row-level
/// security decides what they see; the national office's own users see everything.
@Suite("Users of offices on a national server")
struct OfficeViewTests {
    static func quiet() -> Logger {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        return logger
    }

    static func session(_ id: String, _ title: String, _ lines: [String], speaker: String, folder: String) throws -> IndexedSession {
        let date = Date(timeIntervalSinceNow: -86400 * Double(id.count))
        var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        let cues = lines.enumerated().map { Cue(start: Double($0.offset * 10), end: Double($0.offset * 10 + 8), text: $0.element) }
        let captions = try CaptionSource.write(cues, to: folder + "/\(id).vtt")
        let tags = [SessionEvent(kind: .speaker, media: 0, value: speaker)]
        return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: tags, end: 600), captions: [captions], fingerprint: id)
    }

    @Test("each user sees what their office may: searches, did-you-mean, filter names, the session list and pages; shares open them")
    func usersOfOffices() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakartaRole = try PostgresTestCluster.newRole("jkt"), bandungRole = try PostgresTestCluster.newRole("bdg")
        let nationalRole = try PostgresTestCluster.newRole("pst")
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: Self.quiet())
        try await owner.addOffice("jakarta", role: jakartaRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("bandung", role: bandungRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: nationalRole, seesAll: true, mediaURL: nil)
        // The national server: its own archive (the fixture's sessions), its role sees every office.
        let fixture = try ServerFixture()
        // The two offices' machines push their sessions (Jakarta's second has the id of one of the national archive's).
        let folder = TestFolder.make("offices")
        try await PostgresCatalog(url: PostgresTestCluster.url(url, as: jakartaRole), office: "jakarta", logger: Self.quiet())
            .replace([try Self.session("j1", "Rapat anggaran Jakarta", ["anggaran pemilu jakarta"], speaker: "Ani", folder: folder),
                      try Self.session(fixture.finished, "Sesi kembar", ["sesi kembar di jakarta"], speaker: "Ani", folder: folder)])
        try await PostgresCatalog(url: PostgresTestCluster.url(url, as: bandungRole), office: "bandung", logger: Self.quiet())
            .replace([try Self.session("b1", "Rapat logistik Bandung", ["logistik pemilu bandung"], speaker: "Cici", folder: folder)])

        let national = PostgresTestCluster.url(url, as: nationalRole)
        fixture.configure = { $0.searchEngine = PostgresCatalogEngine(url: national, office: "pusat", logger: Self.quiet()) }
        let users = UserFile(archive: fixture.archive)
        _ = try users.add(name: "joko", role: .viewer, password: ServerFixture.password, cost: 4, office: "jakarta")
        _ = try users.add(name: "bima", role: .viewer, password: ServerFixture.password, cost: 4, office: "bandung")
        _ = try users.add(name: "nina", role: .viewer, password: ServerFixture.password, cost: 4, office: "pusat")
        _ = try users.add(name: "ayu", role: .admin, password: ServerFixture.password, cost: 4, office: "jakarta")
        // Jakarta reported a failing push with sessions waiting; Bandung never reported.
        let reported = Date(timeIntervalSinceNow: -3 * 86400)
        try await PostgresCatalog(url: PostgresTestCluster.url(url, as: jakartaRole), office: "jakarta", logger: Self.quiet())
            .recordPush(OfficePush(countedAt: reported, sessionsBehind: 3, rowsBehind: 120, removalsBehind: 0, lastSuccess: nil,
                                   lastFailure: reported, lastError: "connection refused", zone: "Asia/Jayapura"))
        let finished = fixture.finished
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), nina = try await client.signIn("nina")
            let joko = try await client.signIn("joko"), bima = try await client.signIn("bima")
            func search(_ who: SignedIn, _ query: String) async throws -> (status: Int, body: [String: Any]) {
                try await client.json("/api/search?" + query, headers: who.headers)
            }
            func found(_ who: SignedIn, _ query: String) async throws -> Set<String> {
                let (status, body) = try await search(who, query)
                #expect(status == 200, "\(body)")
                let hits = (body["hits"] as? [[String: Any]] ?? []).compactMap { $0["session"] as? String }
                let headers = (body["sessions"] as? [[String: Any]] ?? []).compactMap { $0["session"] as? String }
                return Set(hits + headers)
            }
            // The national office's users (no office, or the server's own) see every office; the others their own.
            #expect(try await found(vera, "q=pemilu") == ["j1", "b1", finished])
            #expect(try await found(nina, "q=pemilu") == ["j1", "b1", finished])
            #expect(try await found(joko, "q=pemilu") == ["j1"])
            #expect(try await found(bima, "q=pemilu+OR+rapat") == ["b1"])
            // Did you mean: from the words the office may see.
            let (_, mistyped) = try await search(joko, "q=bandunk")
            #expect((mistyped["corrections"] as? [Any])?.isEmpty ?? true, "\(mistyped)")
            #expect((mistyped["hits"] as? [Any])?.isEmpty ?? true, "\(mistyped)")
            let (_, corrected) = try await search(bima, "q=bandunk")
            #expect("\(corrected["corrections"] ?? "")".contains("bandung"), "\(corrected)")
            // Filter names: Bandung's speaker is unknown to Jakarta's user.
            #expect(try await search(joko, "q=pemilu&speaker=Cici").status == 422)
            #expect(try await found(bima, "q=pemilu&speaker=Cici") == ["b1"])
            // A search within one of this archive's sessions: not Jakarta's session of the same id.
            let (status, within) = try await search(vera, "q=kembar&session=\(finished)")
            #expect(status == 200 && (within["hits"] as? [Any])?.isEmpty == true, "\(within)")
            #expect(try await found(vera, "q=kembar") == [finished])
            // The national archive's own sessions: not Jakarta's to see, until shared.
            let listed = try await client.json("/api/sessions", headers: joko.headers)
            #expect((listed.body["sessions"] as? [Any])?.isEmpty == true, "\(listed.body)")
            #expect(try await client.json("/api/sessions/\(finished)", headers: joko.headers).status == 404)
            #expect(try await client.json("/api/sessions/\(finished)", headers: vera.headers).status == 200)
            try await client.execute(uri: "/sessions/\(finished)", method: .get, headers: joko.headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/media/\(finished)/000000.ts", method: .get, headers: joko.headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/media/\(finished)/000000.ts", method: .get, headers: vera.headers) { #expect($0.status == .ok) }
            let pusat = try PostgresCatalog(url: national, office: "pusat", logger: Self.quiet())
            try await pusat.share(session: finished, with: "jakarta")
            #expect(try await client.json("/api/sessions/\(finished)", headers: joko.headers).status == 200)
            let shared = try await client.json("/api/sessions", headers: joko.headers)
            #expect((shared.body["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [finished], "\(shared.body)")
            #expect(try await found(joko, "q=pemilu") == ["j1", finished])
            #expect(try await found(bima, "q=pemilu") == ["b1"])

            // The national catalog's status: the server's own administrators only (not another office's, not a viewer).
            let ada = try await client.signIn("ada"), ayu = try await client.signIn("ayu")
            let (statusCode, report) = try await client.json("/api/catalog/status", headers: ada.headers)
            let offices = report["offices"] as? [[String: Any]] ?? []
            #expect(statusCode == 200 && offices.compactMap { $0["name"] as? String } == ["bandung", "jakarta", "pusat"], "\(report)")
            let jakarta = offices.first { $0["name"] as? String == "jakarta" } ?? [:], bandung = offices.first { $0["name"] as? String == "bandung" } ?? [:]
            #expect((jakarta["push"] as? [String: Any])?["sessionsBehind"] as? Int == 3 && jakarta["failing"] as? Bool == true
                    && jakarta["silent"] as? Bool == true && (jakarta["reportedText"] as? String)?.hasSuffix(" WIT") == true, "\(jakarta)")
            #expect(bandung["push"] == nil && bandung["silent"] as? Bool == true, "\(bandung)")
            #expect(try await client.json("/api/catalog/status", headers: ayu.headers).status == 403)
            #expect(try await client.json("/api/catalog/status", headers: vera.headers).status == 403)
            #expect(try await client.json("/api/catalog/status").status == 401)
            try await client.execute(uri: "/catalog", method: .get, headers: ada.headers) { #expect($0.status == .ok) }
            // The header links the national catalog for those admins only.
            for (who, linked) in [(ada, true), (ayu, false), (vera, false), (joko, false)] {
                let page = try await client.execute(uri: "/search", method: .get, headers: who.headers) { String(buffer: $0.body) }
                #expect(page.contains("<a href=\"/catalog\">Katalog nasional</a>") == linked, "\(who.headers)")
            }
        }
    }

    @Test("a user of another office playing a shared session: one catalog query for the playlists and segments, not one each")
    func playerAsksOnce() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakartaRole = try PostgresTestCluster.newRole("jkt"), nationalRole = try PostgresTestCluster.newRole("pst")
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: Self.quiet())
        try await owner.addOffice("jakarta", role: jakartaRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: nationalRole, seesAll: true, mediaURL: nil)
        let fixture = try ServerFixture()
        let national = PostgresTestCluster.url(url, as: nationalRole)
        fixture.configure = { $0.searchEngine = PostgresCatalogEngine(url: national, office: "pusat", logger: Self.quiet()) }
        _ = try UserFile(archive: fixture.archive).add(name: "joko", role: .viewer, password: ServerFixture.password, cost: 4, office: "jakarta")
        let server = fixture.server(), id = fixture.finished
        let pusat = try PostgresCatalog(url: national, office: "pusat", logger: Self.quiet())
        let player = ["/media/\(id)/index.m3u8", "/api/sessions/\(id)/master.m3u8", "/api/sessions/\(id)/subs.m3u8"]
            + (0..<8).flatMap { ["/media/\(id)/" + String(format: "%06d.ts", $0), "/api/sessions/\(id)/subs/\($0).vtt"] }
        try await server.application().test(.router) { client in
            let joko = try await client.signIn("joko")
            func status(_ uri: String) async throws -> Int {
                try await client.execute(uri: uri, method: .get, headers: joko.headers) { Int($0.status.code) }
            }
            // Not shared: refused, and every refusal asks the catalog again (the first one also pushes the archive).
            #expect(try await status(player[3]) == 404)
            #expect(try await status(player[3]) == 404)
            #expect(server.recentlyVisible.lookups == 2)
            try await pusat.share(session: id, with: "jakarta")
            // Shared: playing it (3 playlists, 8 segments and their captions) asks once; before, 19 queries.
            for uri in player { #expect(try await status(uri) == 200, "\(uri)") }
            #expect(server.recentlyVisible.lookups == 3)
            // Pages ask each time, and so does a request for a session not in the kept answer: unshared, refused at once.
            #expect(try await status("/api/sessions/\(id)") == 200)
            try await pusat.unshare(session: id, with: "jakarta")
            #expect(try await status("/api/sessions/\(id)") == 404)
            #expect(try await status(player[3]) == 404)
            #expect(server.recentlyVisible.lookups == 6)
        }
    }

    @Test("recent answers: kept for their lifetime, asked again for a session not in them, at most `capacity` offices")
    func recentAnswers() async throws {
        let recent = RecentlyVisible(lifetime: .seconds(1), capacity: 2)
        let answer = Mutex<Set<String>>(["a"])
        func visible(_ viewer: String, _ session: String?) async throws -> Set<String> {
            try await recent.visible(to: viewer, including: session) { answer.withLock { $0 } }
        }
        #expect(try await visible("jakarta", "a") == ["a"])
        #expect(try await visible("jakarta", "a") == ["a"])
        #expect(recent.lookups == 1)
        answer.withLock { $0 = ["a", "b"] }
        #expect(try await visible("jakarta", "b") == ["a", "b"])
        #expect(recent.lookups == 2)
        #expect(try await visible("jakarta", nil) == ["a", "b"])
        #expect(recent.lookups == 3)
        answer.withLock { $0 = [] }
        #expect(try await visible("jakarta", "a") == ["a", "b"])
        #expect(recent.lookups == 3)
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await visible("jakarta", "a") == [])
        #expect(recent.lookups == 4)
        // Three offices in a cache of two: the oldest answer goes (Jakarta's, then Bandung's).
        answer.withLock { $0 = ["a"] }
        for viewer in ["bandung", "medan", "bandung", "jakarta", "medan"] { _ = try await visible(viewer, "a") }
        #expect(recent.lookups == 7)
        _ = try await visible("bandung", "a")
        #expect(recent.lookups == 8)
    }

    @Test("a catalog connection the policies do not bind (the tables' owner) refuses to answer as another office")
    func ownerCannotNarrow() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: Self.quiet())
        try await owner.addOffice("jakarta", role: nil, seesAll: false, mediaURL: nil)
        do {
            _ = try await owner.viewed(by: "jakarta").search(try SearchQuery("pemilu"))
            Issue.record("the owner answered as Jakarta")
        } catch {
            #expect("\(error)".contains("row-level security") && "\(error)".contains("--sees-all"), "\(error)")
        }
    }
}
