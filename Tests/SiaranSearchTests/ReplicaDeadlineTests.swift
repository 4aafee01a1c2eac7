import Foundation
import Logging
import SiaranCatalogPostgres
import SiaranSearch
import SiaranTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A replica that gives a connection and then hangs: the search goes to the primary within the
/// replica's deadline (2 s) plus a margin, and the connection it hung on is not used again.
@Suite("Shared catalog read replica: a query that hangs")
struct ReplicaDeadlineTests {
    /// `search`'s sessions and time, or nil when it has not answered within `seconds` (then `unstick`
    /// is run, which must let it end, so that the test fails instead of hanging).
    func timed(_ seconds: Double, unstick: () throws -> Void, _ search: @escaping @Sendable () async throws -> Set<String>) async throws -> (Set<String>, Double)? {
        let started = Date()
        let answer = Answer()
        let running = Task { () async -> Void in
            let result: Result<Set<String>, any Error>
            do { result = .success(try await search()) } catch { result = .failure(error) }
            answer.result.withLock { $0 = result }
        }
        while Date().timeIntervalSince(started) < seconds {
            if let result = answer.result.withLock({ $0 }) { return (try result.get(), Date().timeIntervalSince(started)) }
            try await Task.sleep(for: .milliseconds(20))
        }
        try unstick()
        await running.value
        return nil
    }

    final class Answer: Sendable {
        let result = Mutex<Result<Set<String>, any Error>?>(nil)
    }

    /// Whether the replica answers `search` (the sessions it finds checked), looking at it again after a
    /// miss that took the whole deadline. A first connection to a standby can take longer than the 2 s
    /// deadline while a busy machine starts every suite at once (CI, session 14: the first search went to
    /// the primary and every later count was one off), so such a miss is allowed a few times here. A miss
    /// sooner than the deadline is an error, not slowness (a closed connection left in the pool, say):
    /// it fails at once.
    func replicaAnswers(_ routing: PostgresReadRouting, _ search: @Sendable () async throws -> Set<String>) async throws -> Bool {
        for _ in 0..<5 {
            let before = routing.answers(from: .replica), started = Date()
            #expect(try await search() == ["j1"])
            if routing.answers(from: .replica) == before + 1 { return true }
            guard Date().timeIntervalSince(started) >= routing.deadline - 0.2 else { return false }
            _ = await routing.lookNow()
        }
        return false
    }

    @Test("a standby stuck on a replayed lock, then a frozen backend: the primary answers within the deadline, and the replica answers again after")
    func hungQuery() async throws {
        let folder = TestFolder.make("replica-hang")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let primary = try PostgresTestCluster.isolated()
        defer { primary.stop() }
        let standby = try primary.standby()
        defer { standby.stop() }
        let url = try primary.newDatabase()
        var quiet = Logger(label: "siaran.catalog.test")
        quiet.logLevel = .critical
        // Looked at once an hour: only a search's own failure moves searches to the primary here.
        let routing = try PostgresReadRouting(ReadReplica(url: standby.sameDatabase(as: url), maxLag: 3600, checkInterval: 3600), logger: quiet)
        let catalog = try PostgresCatalog(url: url, office: "jakarta", logger: quiet, routing: routing)
        try await catalog.replace([try ReadReplicaTests().session("j1", ["anggaran pemilu jakarta"], in: folder)])
        try standby.catchUp(with: primary)
        let search: @Sendable () async throws -> Set<String> = { try await ReadReplicaTests().sessions(catalog, "anggaran pemilu") }
        try #require(try await replicaAnswers(routing, search), "the replica never answered")
        let deadline = routing.deadline, margin = 3.0

        // 1. A lock the standby replays and then holds, its replay paused before the primary lets go: a
        //    query of `entry` waits on the standby for ever, while the primary answers.
        let primaryDatabase = "postgres://postgres@127.0.0.1:\(primary.port)/postgres"
        let standbyDatabase = standby.sameDatabase(as: url)
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin/psql")
        locker.arguments = ["-X", "-q", "-d", url, "-c", "BEGIN; LOCK TABLE entry IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60) /* replica-hang */; ROLLBACK"]
        locker.standardOutput = FileHandle.nullDevice
        locker.standardError = FileHandle.nullDevice
        try locker.run()
        defer { if locker.isRunning { locker.terminate() } }
        let until = Date(timeIntervalSinceNow: 15)
        var held = ""
        while held != "1" && Date() < until {
            try PostgresTestCluster.sql(primaryDatabase, "SELECT pg_switch_wal()")
            held = try PostgresTestCluster.sql(standbyDatabase, "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'entry'::regclass")
            if held != "1" { usleep(100_000) }
        }
        try #require(held == "1", "the standby did not take the primary's lock within 15 s")
        try standby.pauseReplay(true)
        try PostgresTestCluster.sql(primaryDatabase, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%replica-hang */%' AND pid <> pg_backend_pid()")
        locker.waitUntilExit()
        let resume = { try standby.pauseReplay(false) }
        var (primaryAnswers, replicaAnswered) = (routing.answers(from: .primary), routing.answers(from: .replica))
        let stuck = try await timed(deadline + margin + 12, unstick: resume, search)
        // Answered within the deadline and margin, and not sooner than the deadline: the replica was tried and waited for.
        #expect(stuck != nil && stuck?.0 == ["j1"] && stuck!.1 < deadline + margin && stuck!.1 >= deadline - 0.2,
                "\(String(describing: stuck)): not answered within \(deadline) s + \(margin) s")
        #expect(routing.answers(from: .primary) == primaryAnswers + 1 && routing.answers(from: .replica) == replicaAnswered)
        // The statement ended on the standby's side too (its `statement_timeout`), not left waiting there.
        usleep(UInt32((deadline + 0.5) * 1_000_000))
        #expect(try PostgresTestCluster.sql(standbyDatabase, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == "0")
        if stuck != nil { try resume() }
        try standby.catchUp(with: primary)

        // Back in use: the replica answers on a working connection (the closed one is gone from the pool).
        #expect(await routing.lookNow().inUse)
        #expect(try await replicaAnswers(routing, search), "the replica did not answer again after its lock")

        // 2. A backend that stops answering (as behind a network black hole): its process frozen.
        let backends = try PostgresTestCluster.sql(standbyDatabase, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()")
            .split(separator: "\n").compactMap { pid_t($0) }
        try #require(!backends.isEmpty)
        for pid in backends { kill(pid, SIGSTOP) }
        let thaw = { for pid in backends { kill(pid, SIGCONT) } }
        defer { thaw() }
        (primaryAnswers, replicaAnswered) = (routing.answers(from: .primary), routing.answers(from: .replica))
        let frozen = try await timed(deadline + margin + 12, unstick: thaw, search)
        // Answered within the deadline and margin, and not sooner than the deadline: the replica was tried and waited for.
        #expect(frozen != nil && frozen?.0 == ["j1"] && frozen!.1 < deadline + margin && frozen!.1 >= deadline - 0.2,
                "\(String(describing: frozen)): not answered within \(deadline) s + \(margin) s")
        #expect(routing.answers(from: .primary) == primaryAnswers + 1 && routing.answers(from: .replica) == replicaAnswered)
        thaw()
        #expect(await routing.lookNow().inUse)
        #expect(try await replicaAnswers(routing, search), "the replica did not answer again after its frozen backend")
        print("replica deadline test: primary answered a search stuck on the standby's lock in \(String(format: "%.2f", stuck?.1 ?? -1)) s, on a frozen backend in \(String(format: "%.2f", frozen?.1 ?? -1)) s (deadline \(deadline) s)")
    }
}
