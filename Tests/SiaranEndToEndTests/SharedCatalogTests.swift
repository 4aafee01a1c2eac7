import Foundation
import SiaranArchive
import SiaranTestSupport
import Testing

/// `siaran reindex`, `search` and `catalog …` with `--catalog postgres://…`: offices index into one
/// shared catalog, each keeps its own catalog for when the shared one is out of reach, and a push cut
/// short is finished by the next one with nothing lost and nothing doubled.
@Suite("Shared catalog", .ownThreads)
struct SharedCatalogTests {
    func archive(_ titles: [String], cues: Int = 0) throws -> Archive {
        let archive = Archive(path: Harness.temporaryFolder("office"))
        for (n, title) in titles.enumerated() {
            let id = try archive.createSessionDirectory(title: title, date: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 3600))
            var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
            m.state = .complete
            try archive.saveManifest(m)
            guard cues > 0 else { continue }
            try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
            var vtt = "WEBVTT\n\n"
            for i in 0..<cues {
                vtt += "\(clock(Double(i * 4))) --> \(clock(Double(i * 4 + 3)))\nkalimat \(i) sesi \(n) tentang anggaran pemilu nomor \(i % 97)\n\n"
            }
            try vtt.write(toFile: archive.captionsDirectory(of: id) + "/notulen.vtt", atomically: true, encoding: .utf8)
        }
        return archive
    }

    func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return String(format: "%02d:%02d:%02d.000", s / 3600, s / 60 % 60, s % 60)
    }

    @Test("two offices index into one PostgreSQL catalog and find each other's sessions; each keeps its own catalog for when it is out of reach")
    func twoOffices() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakarta = try archive(["Sosialisasi anggaran Jakarta"]), bandung = try archive(["Rapat anggaran Bandung", "Pleno Bandung"])
        for (archive, office) in [(jakarta, "jakarta"), (bandung, "bandung")] {
            let indexed = try Harness.run(["reindex", "--archive", archive.root, "--catalog", url, "--office", office])
            #expect(indexed.status == 0, "\(indexed.stderr)")
        }
        let found = try Harness.run(["search", "anggaran", "--json", "--archive", jakarta.root], environment: ["SIARAN_CATALOG": url, "SIARAN_OFFICE": "jakarta"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("Sosialisasi anggaran Jakarta") && found.stdout.contains("Rapat anggaran Bandung"), "\(found.stdout)")
        // One office's sessions only, and the office named on each hit.
        let bandungOnly = try Harness.run(["search", "anggaran", "--json", "--from-office", "bandung", "--archive", jakarta.root],
                                          environment: ["SIARAN_CATALOG": url, "SIARAN_OFFICE": "jakarta"])
        #expect(bandungOnly.stdout.contains("Rapat anggaran Bandung") && !bandungOnly.stdout.contains("Jakarta"), "\(bandungOnly.stdout)")
        let local = try Harness.run(["search", "anggaran", "--from-office", "bandung", "--archive", bandung.root])
        #expect(local.status != 0 && local.stderr.contains("shared catalog"), "\(local.stderr)")
        // Jakarta's refresh and rebuild touch Jakarta's sessions only.
        #expect(try Harness.run(["reindex", "--archive", jakarta.root, "--catalog", url, "--office", "jakarta"]).status == 0)
        let again = try Harness.run(["search", "pleno", "--json", "--archive", jakarta.root, "--catalog", url, "--office", "jakarta"])
        #expect(again.stdout.contains("Pleno Bandung"), "\(again.stdout) \(again.stderr)")
        // The archive's own catalog was kept beside it, and answers when the shared one is out of reach.
        #expect(FileManager.default.fileExists(atPath: jakarta.root + "/catalog.sqlite"))
        let unreachable = "postgres://postgres@127.0.0.1:\(TestPort.free())/nowhere"
        let offline = try Harness.run(["search", "anggaran", "--json", "--archive", jakarta.root, "--catalog", unreachable, "--office", "jakarta"])
        #expect(offline.status == 0 && offline.stdout.contains("Sosialisasi anggaran Jakarta") && !offline.stdout.contains("Bandung"), "\(offline.stdout)")
        #expect(offline.stderr.contains("out of reach") && offline.stderr.contains("siaran catalog push"), "\(offline.stderr)")
        let push = try Harness.run(["catalog", "push", "--archive", jakarta.root, "--catalog", unreachable, "--office", "jakarta"])
        #expect(push.status != 0, "a push that cannot reach the catalog fails: \(push.stdout)")
        let refused = try Harness.run(["search", "anggaran", "--archive", jakarta.root, "--catalog", "mysql://x"])
        #expect(refused.status != 0 && refused.stderr.contains("postgres://"), "\(refused.stderr)")
    }

    @Test("siaran catalog: offices with their roles, push with the media address, status with what waits, share")
    func catalogCommands() throws {
        let owner = try PostgresTestCluster.newDatabase()
        let role = try PostgresTestCluster.newRole("kota")
        let office = try Harness.run(["catalog", "office", "kota", "--role", role, "--catalog", owner])
        #expect(office.status == 0, "\(office.stderr)")
        #expect(try Harness.run(["catalog", "office", "pusat", "--sees-all", "--catalog", owner]).status == 0)
        let missing = try Harness.run(["catalog", "office", "x", "--role", "no_such_role", "--catalog", owner])
        #expect(missing.status != 0 && missing.stderr.contains("createuser"), "\(missing.stderr)")
        let kota = try archive(["Rapat anggaran kota", "Pleno kota"], cues: 20)
        let asKota = PostgresTestCluster.url(owner, as: role)
        let before = try Harness.run(["catalog", "status", "--archive", kota.root, "--catalog", asKota, "--office", "kota"])
        #expect(before.status == 0 && before.stdout.contains("2 sessions waiting to be pushed") && before.stdout.contains("acting as office kota's role"),
                "\(before.stdout) \(before.stderr)")
        let pushed = try Harness.run(["catalog", "push", "--archive", kota.root, "--catalog", asKota, "--office", "kota", "--media-url", "https://kota.example/siaran"])
        #expect(pushed.status == 0 && pushed.stdout.contains("2 sessions"), "\(pushed.stdout) \(pushed.stderr)")
        let after = try Harness.run(["catalog", "status", "--archive", kota.root, "--catalog", asKota, "--office", "kota", "--json"])
        #expect(after.stdout.contains("\"waitingToPush\" : [\n\n  ]") || after.stdout.contains("\"waitingToPush\" : []"), "\(after.stdout)")
        #expect(after.stdout.contains("https://kota.example/siaran"))
        let id = try #require(kota.sessionIDs().first)
        let shared = try Harness.run(["catalog", "share", id, "--with", "all", "--catalog", asKota, "--office", "kota"])
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(try PostgresTestCluster.sql(owner, "SELECT office || ':' || session_id || ':' || viewer FROM share") == "kota:\(id):*")
        // Kota's role may not pose as another office.
        let posing = try Harness.run(["catalog", "push", "--archive", kota.root, "--catalog", asKota, "--office", "pusat"])
        #expect(posing.status != 0 && posing.stderr.contains("--office kota"), "\(posing.stderr)")
        // A catalog that does not answer: status says so and shows the archive's own state (everything was
        // pushed to the catalog that answered); no password of the URL in anything printed.
        let secret = "postgres://postgres:hunter2@127.0.0.1:\(TestPort.free())/x"
        let failed = try Harness.run(["catalog", "status", "--archive", kota.root, "--catalog", secret])
        #expect(failed.status == 0 && failed.stdout.contains("could not be read") && failed.stdout.contains("everything pushed")
                && !failed.stderr.contains("hunter2") && !failed.stdout.contains("hunter2"), "\(failed.stdout) \(failed.stderr)")
    }

    @Test("a push cut in the middle (its connections killed) is finished by the next push: nothing lost, nothing doubled")
    func cutPush() throws {
        let archive = try archive((0..<40).map { "Sesi \($0)" }, cues: 400)
        let clean = try PostgresTestCluster.newDatabase(), cut = try PostgresTestCluster.newDatabase()
        #expect(try Harness.run(["catalog", "push", "--archive", archive.root, "--catalog", clean, "--office", "kota"]).status == 0)
        let pushing = try Harness.Running(Harness.siaran, ["catalog", "push", "--archive", archive.root, "--catalog", cut, "--office", "kota"])
        let database = String(cut.split(separator: "/").last!)
        var killed = false
        for _ in 0..<200 where !killed {
            usleep(50_000)
            // Once some sessions are in, kill every connection of that database.
            // (Before the push has made the tables, the count fails: keep waiting.)
            if let count = try? PostgresTestCluster.sql(cut, "SELECT count(*) FROM session WHERE office = 'kota'"), let n = Int(count), n > 0 {
                try PostgresTestCluster.sql(clean, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database)'")
                killed = true
            }
        }
        let first = try pushing.wait(timeout: 120)
        #expect(killed, "the push finished before it could be cut")
        let partial = try PostgresTestCluster.sql(cut, "SELECT count(*) FROM session")
        #expect(first.status != 0 || partial == "40", "\(first.stdout) \(first.stderr)")
        let second = try Harness.run(["catalog", "push", "--archive", archive.root, "--catalog", cut, "--office", "kota"])
        #expect(second.status == 0, "\(second.stderr)")
        let facts = "SELECT (SELECT count(*) FROM session) || ' ' || (SELECT count(*) FROM entry) || ' ' || (SELECT sum(exact_docs + stem_docs) FROM term) || ' ' || (SELECT count(*) FROM label)"
        #expect(try PostgresTestCluster.sql(cut, facts) == PostgresTestCluster.sql(clean, facts))
        #expect(try PostgresTestCluster.sql(cut, "SELECT count(*) FROM session") == "40")
    }

    @Test("an archive connected once is pushed by siaran serve in the background: a new session reaches the shared catalog by itself; offline, the server searches its own catalog")
    func servePushesInTheBackground() throws {
        let owner = try PostgresTestCluster.newDatabase()
        let office = try archive(["Sosialisasi anggaran Lolak"], cues: 4)
        let connected = try Harness.run(["catalog", "connect", "--archive", office.root, "--catalog", owner, "--office", "lolak"])
        #expect(connected.status == 0 && !connected.stdout.contains("postgres@"), "\(connected.stdout) \(connected.stderr)")
        let settings = try FileManager.default.attributesOfItem(atPath: office.root + "/.catalog.json")
        #expect((settings[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let port = Harness.freePort()
        let server = try Harness.start(["serve", "--archive", office.root, "--listen", "127.0.0.1:\(port)", "--public"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        func inShared(_ word: String) throws -> Bool {
            let found = try Harness.run(["search", word, "--json", "--archive", Harness.temporaryFolder("nobody"), "--catalog", owner, "--office", "pusat"])
            return found.stdout.contains("\"session\"") && found.stdout.contains(word)
        }
        // The session there at start is pushed without anyone searching.
        #expect(Harness.waitUntil(timeout: 60) { (try? inShared("Lolak")) ?? false }, "the first push did not happen: \(server.wait(timeout: 1).stderr)")
        // A session added later (copied in by hand) follows by itself.
        let id = try office.createSessionDirectory(title: "Rapat logistik Bolaang", date: Date())
        var m = SessionManifest(id: id, title: "Rapat logistik Bolaang", kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        try office.saveManifest(m)
        #expect(Harness.waitUntil(timeout: 90) { (try? inShared("Bolaang")) ?? false }, "the new session was not pushed: \(server.wait(timeout: 1).stderr)")
        // `catalog push` without flags uses the archive's settings.
        let push = try Harness.run(["catalog", "push", "--archive", office.root])
        #expect(push.status == 0 && push.stdout.contains("office lolak"), "\(push.stdout) \(push.stderr)")

        // Offline: settings naming a catalog that does not answer; the server still searches this archive.
        let offline = try archive(["Pleno offline Manado"], cues: 4)
        try CatalogSettings(catalog: "postgres://postgres@127.0.0.1:\(TestPort.free())/nowhere", office: "manado").save(in: offline)
        let port2 = Harness.freePort()
        let alone = try Harness.start(["serve", "--archive", offline.root, "--listen", "127.0.0.1:\(port2)", "--public"])
        defer { alone.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port2) })
        let answer = try Harness.Running("/usr/bin/curl", ["-s", "http://127.0.0.1:\(port2)/api/search?q=pleno+manado"]).wait()
        #expect(answer.stdout.contains("Pleno offline Manado"), "\(answer.stdout)")
        let log = alone.wait(timeout: 1).stderr
        #expect(log.contains("out of reach") && !log.contains("postgres@127"), "\(log)")
    }
}
