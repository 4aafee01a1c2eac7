import Foundation
import SiaranArchive
import SiaranSearch
import SiaranTestSupport
import Testing

/// The push to a shared catalog under faults (#30 item 2), against a real PostgreSQL 15: restarted in
/// the middle of a push, an office offline across restarts of its server, and two offices pushing while
/// a third searches. Counts are compared with the
/// archive's own SQLite catalog of the same sessions (both engines index the same rows:
/// `EngineParityTests`).
@Suite("Shared catalog under faults", .ownThreads)
struct CatalogFaultTests {
    let helper = SharedCatalogTests()

    /// Rows of `office` in the shared catalog, and its sessions.
    func counts(_ url: String, office: String) throws -> String {
        try PostgresTestCluster.sql(url, """
            SELECT (SELECT count(*) FROM session WHERE office = '\(office)') || ' ' ||
                   (SELECT count(*) FROM entry e JOIN session s ON s.number = e.session WHERE s.office = '\(office)')
            """)
    }

    /// Sessions and rows of the archive's own SQLite catalog.
    func local(_ archive: Archive) async throws -> String {
        let index = try await TestCatalog.refresh(archive)
        return "\(try await index.indexedSessions().count) \(try await index.entryCount())"
    }

    @Test("PostgreSQL restarted in the middle of a push: what was sent stays, the next push sends the rest, nothing doubled")
    func restartedMidPush() async throws {
        let archive = try helper.archive((0..<40).map { "Sesi \($0)" }, cues: 400)
        let cluster = try PostgresTestCluster.isolated()
        defer { cluster.stop() }
        let url = try cluster.newDatabase()
        let pushing = try Harness.Running(Harness.siaran, ["catalog", "push", "--archive", archive.root, "--catalog", url, "--office", "kota"])
        var restarted = false
        for _ in 0..<400 where !restarted {
            usleep(25_000)
            if let count = try? PostgresTestCluster.sql(url, "SELECT count(*) FROM session WHERE office = 'kota'"), let n = Int(count), n > 0 {
                try cluster.restart()
                restarted = true
            }
        }
        let first = pushing.wait(timeout: 120)
        #expect(restarted, "the push finished before PostgreSQL could be restarted")
        let kept = Int(try PostgresTestCluster.sql(url, "SELECT count(*) FROM session")) ?? -1
        #expect(kept > 0, "the sessions pushed before the restart were lost: \(first.stderr)")
        let status = try Harness.run(["catalog", "status", "--archive", archive.root, "--catalog", url, "--office", "kota"])
        #expect(status.status == 0, "\(status.stderr)")
        if kept < 40 {
            // Resumed, not started again: only the sessions the catalog lacks are waiting.
            #expect(status.stdout.contains("\(40 - kept) sessions waiting to be pushed"), "\(status.stdout)")
            #expect(first.status != 0 && first.stderr.contains("postgres://postgres@127.0.0.1"), "\(first.stdout) \(first.stderr)")
        }
        let second = try Harness.run(["catalog", "push", "--archive", archive.root, "--catalog", url, "--office", "kota"])
        #expect(second.status == 0 && second.stdout.contains("40 sessions"), "\(second.stdout) \(second.stderr)")
        #expect(try counts(url, office: "kota") == (try await local(archive)))
        #expect(try PostgresTestCluster.sql(url, "SELECT count(*) FROM (SELECT office, id FROM session GROUP BY 1, 2 HAVING count(*) > 1) d") == "0")
    }

    @Test("two offices push at once while a third searches: every search answers, each office's rows are its archive's")
    func pushWhileSearching() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let kota = try helper.archive((0..<12).map { "Rapat kota \($0)" }, cues: 300)
        let desa = try helper.archive((0..<12).map { "Rapat desa \($0)" }, cues: 300)
        let pusat = Harness.temporaryFolder("pusat")
        // The schema exists before the three start (as it does once an administrator has added offices).
        #expect(try Harness.run(["catalog", "status", "--archive", pusat, "--catalog", url, "--office", "pusat"]).status == 0)
        let pushes = try [(kota, "kota"), (desa, "desa")].map { archive, office in
            try Harness.Running(Harness.siaran, ["catalog", "push", "--archive", archive.root, "--catalog", url, "--office", office])
        }
        var searches = 0
        var failures: [String] = []
        let started = Date()
        repeat {
            let found = try Harness.run(["search", "anggaran pemilu", "--json", "--archive", pusat, "--catalog", url, "--office", "pusat"])
            if found.status != 0 { failures.append(found.stderr) }
            searches += 1
        } while pushes.contains(where: { $0.process.isRunning }) && Date().timeIntervalSince(started) < 60
        for push in pushes {
            let done = push.wait(timeout: 60)
            #expect(done.status == 0, "\(done.stdout) \(done.stderr)")
        }
        #expect(failures.isEmpty, "\(failures.count) of \(searches) searches failed: \(failures.first ?? "")")
        #expect(searches >= 2)
        #expect(try counts(url, office: "kota") == (try await local(kota)))
        #expect(try counts(url, office: "desa") == (try await local(desa)))
        // After the pushes, the national search finds both offices.
        let after = try Harness.run(["search", "kalimat", "--json", "--archive", pusat, "--catalog", url, "--office", "pusat"])
        #expect(after.stdout.contains("\"office\" : \"kota\"") && after.stdout.contains("\"office\" : \"desa\""), "\(after.stdout.prefix(400))")
    }

    @Test("an office offline across a restart of siaran serve: nothing is lost; once the catalog answers, the server's push sends every session missing")
    func offlineAcrossRestart() async throws {
        let cluster = try PostgresTestCluster.isolated()
        defer { cluster.stop() }
        let url = try cluster.newDatabase()
        let office = try helper.archive(["Pleno Lolak pertama"], cues: 30)
        // With a password (the test cluster trusts any): it must show up nowhere.
        let secret = url.replacingOccurrences(of: "postgres@", with: "postgres:hunter2@")
        #expect(try Harness.run(["catalog", "connect", "--archive", office.root, "--catalog", secret, "--office", "lolak"]).status == 0)
        try cluster.pause()
        func serve(until condition: (Harness.Running) -> Bool) throws -> String {
            let port = Harness.freePort()
            let server = try Harness.start(["serve", "--archive", office.root, "--listen", "127.0.0.1:\(port)", "--public"])
            defer { server.stop() }
            try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
            let met = Harness.waitUntil(timeout: 40) { condition(server) }
            let log = server.wait(timeout: 1).stderr
            #expect(met, "\(log)")
            return log
        }
        // Offline: the server starts, fails to push (said once, no password), and is stopped.
        let first = try serve { server in ((try? String(contentsOfFile: server.stderrPath, encoding: .utf8)) ?? "").contains("out of reach") }
        #expect(first.contains("out of reach") && !first.contains("postgres@127") && !first.contains("hunter2"), "\(first)")
        // A session recorded (here: copied in) while offline, then the server restarted, still offline.
        let id = try office.createSessionDirectory(title: "Rapat Lolak kedua", date: Date())
        var m = SessionManifest(id: id, title: "Rapat Lolak kedua", kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        try office.saveManifest(m)
        _ = try serve { _ in usleep(2_000_000) == 0 }
        // Still offline: status shows this archive's own state (nothing ever pushed: both sessions wait) instead of failing.
        let offline = try Harness.run(["catalog", "status", "--archive", office.root])
        #expect(offline.status == 0 && offline.stdout.contains("could not be read") && offline.stdout.contains("2 sessions waiting to be pushed (")
                && offline.stdout.contains("failed: ") && !offline.stdout.contains("hunter2"), "\(offline.stdout) \(offline.stderr)")
        // The catalog answers again: status says what waits and why the last push failed; the next
        // server's push (at its start) sends both sessions.
        try cluster.start()
        let status = try Harness.run(["catalog", "status", "--archive", office.root])
        #expect(status.status == 0 && status.stdout.contains("2 sessions waiting to be pushed (") && status.stdout.contains("failed: ")
                && status.stdout.contains("never succeeded") && !status.stdout.contains("hunter2"), "\(status.stdout) \(status.stderr)")
        #expect(try !String(contentsOfFile: PushRecord.path(in: office), encoding: .utf8).contains("hunter2"))
        _ = try serve { _ in (try? counts(url, office: "lolak"))?.hasPrefix("2 ") == true }
        #expect(try counts(url, office: "lolak") == (try await local(office)))
        // The rows it said were behind are the rows the push sent.
        let behind = status.stdout.firstMatch(of: /waiting to be pushed \((\d+) rows\)/).map { String($0.output.1) }
        let pushedCounts = try counts(url, office: "lolak")
        #expect(behind != nil && pushedCounts == "2 \(behind ?? "")", "\(status.stdout)")
        let after = try Harness.run(["catalog", "status", "--archive", office.root])
        #expect(after.stdout.contains("everything pushed; its last push succeeded"), "\(after.stdout)")
        // The office reported its push in the catalog: nothing waiting, and the failure before it.
        #expect(after.stdout.contains("lolak: 2 sessions") && after.stdout.contains("nothing waiting; last error ")
                && !after.stdout.contains("hunter2"), "\(after.stdout)")
    }
}
