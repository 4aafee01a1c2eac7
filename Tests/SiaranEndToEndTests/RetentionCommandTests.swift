import Foundation
import SiaranArchive
import SiaranTestSupport
import Testing

/// `siaran retention`, `pin`, `unpin` as an officer runs them, and `retention apply` killed with
/// SIGKILL in the middle: whatever the moment, no catalog row points at a session whose files are
/// gone, no session outside the plan is touched, and the next run ends where an uninterrupted one would.
@Suite("siaran retention", .timeLimit(.minutes(20)), .ownThreads)
struct RetentionCommandTests {
    /// An archive of `count` sessions a day apart (the newest yesterday), each with `files` media files and a caption.
    static func archive(_ count: Int, files: Int) throws -> Archive {
        let archive = Archive(path: Harness.temporaryFolder("retention-cli"))
        for n in 0..<count {
            let started = Date().addingTimeInterval(-Double(count - n) * 86_400)
            try TestSession.add(to: archive, number: n, started: started, caption: "anggaran pemilu rapat \(n)", media: Array(repeating: 1_000, count: files))
        }
        return archive
    }

    @Test("set, show, pin and apply from the terminal; clear errors for a bad --keep or --budget and for a budget below what must be kept")
    func commands() throws {
        let archive = try Self.archive(5, files: 2)
        defer { try? FileManager.default.removeItem(atPath: archive.root) }
        let root = ["--archive", archive.root]
        let bad = try Harness.run(["retention", "--keep", "3x"] + root)
        #expect(bad.status != 0 && bad.stderr.contains("365d, 52w or 1y") && bad.stderr.contains("3x"), "\(bad.stderr)")
        let badBudget = try Harness.run(["retention", "--budget", "lots"] + root)
        #expect(badBudget.status != 0 && badBudget.stderr.contains("500G"), "\(badBudget.stderr)")
        #expect(try Harness.run(["retention", "apply"] + root).stderr.contains("no retention policy"))
        let ids = archive.sessionIDs()
        let pinned = try Harness.run(["pin", ids[1]] + root)
        #expect(pinned.status == 0 && pinned.stdout.contains("pinned \(ids[1])"), "\(pinned.stderr)")
        #expect(try Harness.run(["sessions"] + root).stdout.contains("Rapat 1  [pinned]"))
        #expect(try Harness.run(["show", ids[1]] + root).stdout.contains("pinned:    yes"))
        // Scripts read the pin too: in sessions --json (each session) and show --json.
        let listed = try JSONSerialization.jsonObject(with: Data(try Harness.run(["sessions", "--json"] + root).stdout.utf8)) as? [[String: Any]] ?? []
        #expect(listed.map { "\($0["id"] ?? "")=\(($0["pinned"] as? Bool).map(String.init) ?? "none")" }.sorted()
                == ids.map { "\($0)=\($0 == ids[1])" }.sorted(), "\(listed)")
        for (id, pinned) in [(ids[1], true), (ids[0], false)] {
            let shown = try JSONSerialization.jsonObject(with: Data(try Harness.run(["show", id, "--json"] + root).stdout.utf8)) as? [String: Any]
            #expect(shown?["pinned"] as? Bool == pinned && (shown?["session"] as? [String: Any])?["id"] as? String == id, "\(String(describing: shown))")
        }
        // A budget below the pinned and newest sessions: said, and the budget deletes nothing.
        let tiny = try Harness.run(["retention", "--budget", "1K", "--keep-newest", "2"] + root)
        #expect(tiny.status == 0 && tiny.stdout.contains("the budget deletes nothing") && tiny.stdout.contains("the next run deletes nothing"), "\(tiny.stdout)")
        // Four days: the two oldest (5 and 4 days) are reached; the pinned one stays.
        let set = try Harness.run(["retention", "--keep", "4d", "--budget", "none"] + root)
        #expect(set.status == 0 && set.stdout.contains("the next run deletes 1 session") && set.stdout.contains("\(ids[0])") && set.stdout.contains("pinned"), "\(set.stdout)")
        let applied = try Harness.run(["retention", "apply"] + root)
        #expect(applied.status == 0 && applied.stdout.contains("deleted \(ids[0])"), "\(applied.stdout)\(applied.stderr)")
        #expect(archive.sessionIDs() == Array(ids.dropFirst()))
        #expect(try Harness.run(["unpin", ids[1]] + root).status == 0)
        #expect(try Harness.run(["retention", "--dry-run"] + root).stdout.contains("deletes 1 session"))
    }

    @Test("retention apply killed with SIGKILL at any moment: no row without its files, nothing outside the plan touched; the next run finishes")
    func killed() async throws {
        var interrupted = 0
        for delay in [0.0, 0.1] {
            let archive = try Self.archive(24, files: 60)
            defer { try? FileManager.default.removeItem(atPath: archive.root) }
            let root = ["--archive", archive.root]
            #expect(try Harness.run(["reindex"] + root).status == 0)
            #expect(try Harness.run(["retention", "--keep", "8d", "--keep-newest", "2"] + root).status == 0)
            let all = archive.sessionIDs()
            let plan = RetentionPlan.make(archive, policy: try RetentionPolicy.load(archive))
            let planned = Set(plan.delete.map(\.id))
            #expect(planned.count == 17, "24 to 8 days old")
            let run = try Harness.start(["retention", "apply"] + root)
            // The first moment the run has begun to change the archive, plus `delay`.
            let deadline = Date().addingTimeInterval(30)
            while archive.sessionIDs().count == all.count && run.process.isRunning && Date() < deadline { usleep(1_000) }
            if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
            run.signal(SIGKILL)
            run.wait(timeout: 10)
            let staged = RetentionStaging(archive: archive).staged()
            let present = Set(archive.sessionIDs())
            if !staged.isEmpty || (present.count < all.count && present.count > all.count - planned.count) { interrupted += 1 }
            // Nothing outside the plan touched; every planned session is whole in the archive, waiting in staged/, or gone.
            #expect(Set(all).subtracting(planned).isSubset(of: present))
            for id in all where !present.contains(id) { #expect(planned.contains(id)) }
            // The catalog holds no session whose files are gone for good.
            let indexed = Set(try await TestCatalog.open(archive).indexedSessions().keys)
            #expect(indexed.isSubset(of: present.union(staged)), "rows without files: \(indexed.subtracting(present.union(staged)))")
            let next = try Harness.run(["retention", "apply"] + root)
            #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
            #expect(Set(archive.sessionIDs()) == Set(all).subtracting(planned))
            #expect(RetentionStaging(archive: archive).staged().isEmpty)
            #expect(Set(try await TestCatalog.open(archive).indexedSessions().keys) == Set(archive.sessionIDs()))
        }
        // At least one kill landed in the middle of a run (others may land before or after it).
        #expect(interrupted >= 1, "no kill interrupted a run")
    }

    @Test("in Chromium at desktop and phone width: an admin pins and unpins from the session page, previews a policy before saving it, and saves it; the page's list is the dry run's; a trashed session links to the trash")
    func browser() throws {
        let (_, archive, _) = try Harness.importedForBrowser("retention-browser", seconds: 4)
        defer { try? FileManager.default.removeItem(atPath: (archive as NSString).deletingLastPathComponent) }
        let store = Archive(path: archive)
        var made: [String] = []
        for (title, days) in [("Rapat lama anggaran pemilu", 400.0), ("Pleno lama rekapitulasi suara", 380.0)] {
            let started = Date().addingTimeInterval(-days * 86_400)
            let id = try store.createSessionDirectory(title: title, date: started)
            var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: started, segmentFormat: "ts", targetSegmentDuration: 6)
            m.startedAt = started
            m.state = .complete
            try store.saveManifest(m)
            made.append(id)
        }
        // A session deleted by hand: in the trash, it has no page; /retensi links to its entry in the trash.
        let trashed = try store.createSessionDirectory(title: "Rapat terhapus logistik", date: Date().addingTimeInterval(-20 * 86_400))
        var m = SessionManifest(id: trashed, title: "Rapat terhapus logistik", kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        try store.saveManifest(m)
        try SessionManager(archive: store).trash(trashed, by: "ada")
        try Harness.addUser("ada", role: "admin", archive: archive)
        let port = Harness.freePort()
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"], environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        var arguments = [root.appendingPathComponent("Scripts/browser-retention").path, "--base", "http://127.0.0.1:\(port)", "--user", "ada",
                         "--password", "kata-sandi-rahasia", "--old", made[0], "--pinned", made[1], "--trashed", trashed]
        if let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"] { arguments += ["--shots", shots] }
        let check = try Harness.Running("/usr/bin/env", ["python3"] + arguments).wait(timeout: 240)
        #expect(check.status == 0, "browser-retention: \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [String: Any]]) ?? [:]
        #expect(results.count == 12, "checks missing: \(results.keys.sorted())")
        for (name, result) in results.sorted(by: { $0.key < $1.key }) { #expect(result["ok"] as? Bool == true, "\(name): \(result)") }
        let policy = try RetentionPolicy.load(store)
        #expect(policy.keepDays == 365 && policy.budgetBytes == 1_000_000_000_000 && policy.keepNewest == 0 && policy.setBy == "web:ada")
        let pins = EventLog(path: store.eventsPath(of: made[1])).read().events.filter { $0.kind == .session }.map(\.value)
        #expect(pins == ["pin", "unpin"])
        // What the page listed is what the dry run lists.
        let dryRun = try Harness.run(["retention", "--dry-run", "--json", "--archive", archive])
        let plan = try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [String: Any]
        #expect((plan?["delete"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == made)
    }
}
