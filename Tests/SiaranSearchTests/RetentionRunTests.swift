import Foundation
import Logging
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCatalogSQLite
import SiaranSearch
import SiaranTestSupport
import Testing

/// Retention with its catalogs: what `--dry-run` lists is what `apply` deletes, media and rows
/// together, in the archive's SQLite catalog and the office's part of a shared PostgreSQL catalog;
/// an interrupted run is finished by the next; nothing is removed while a catalog may hold it.
@Suite("Retention runs with the catalogs")
struct RetentionRunTests {
    static let now = Date()
    static let words = ["bromo", "rinjani", "tambora", "sinabung", "galunggung", "krakatau"]

    /// An archive of `count` sessions, one a week back from now, each with a caption line naming it.
    static func archive(_ count: Int) throws -> Archive {
        let archive = Archive(path: TestFolder.make("retention-run"))
        for n in 0..<count {
            let started = now.addingTimeInterval(-Double(count - n) * 7 * 86_400)
            try TestSession.add(to: archive, number: n, started: started, caption: "anggaran pemilu gunung \(words[n])", media: [10_000])
        }
        return archive
    }

    static func quiet() -> Logger {
        var logger = Logger(label: "siaran.retention.test")
        logger.logLevel = .critical
        return logger
    }

    func engines(_ engine: TestEngine) throws -> [any SearchIndexEngine] {
        switch engine {
        case .sqlite: return [SQLiteCatalogEngine(logger: Self.quiet())]
        case .postgres:
            return [SQLiteCatalogEngine(logger: Self.quiet()),
                    PostgresCatalogEngine(url: try PostgresTestCluster.newDatabase(), office: "jakarta", logger: Self.quiet())]
        }
    }

    @Test("apply deletes exactly what the dry run listed: media, and rows in every catalog; locked and pinned sessions stay", arguments: TestEngine.all)
    func applyMatchesDryRun(engine: TestEngine) async throws {
        let archive = try Self.archive(6)
        defer { try? FileManager.default.removeItem(atPath: archive.root) }
        let catalogs = try engines(engine)
        for c in catalogs { try await CatalogRefresh(engine: c, logger: Self.quiet()).refresh(archive) }
        let ids = archive.sessionIDs()
        // The oldest is pinned, the second being recorded (its lock held): 16 days reach the four oldest (42 to 21 days old).
        try SessionManager(archive: archive).pin(ids[0], by: "ada")
        let lock = try SessionLock.take(path: archive.lockPath(of: ids[1]))
        defer { _ = lock }
        let policy = RetentionPolicy(keepDays: 16, keepNewest: 1)
        let dryRun = RetentionPlan.make(archive, policy: policy, now: Self.now)
        #expect(dryRun.delete.map(\.id) == [ids[2], ids[3]] && dryRun.kept.map(\.id) == [ids[0], ids[1]])

        let outcome = await RetentionRun(archive: archive, engines: catalogs, logger: Self.quiet()).apply(policy: policy, by: "ada", now: Self.now)
        #expect(outcome.plan == dryRun && outcome.removed == dryRun.delete.map(\.id) && outcome.waiting.isEmpty && outcome.skipped.isEmpty)
        #expect(outcome.freedBytes == dryRun.freedBytes)
        #expect(archive.sessionIDs() == [ids[0], ids[1], ids[4], ids[5]])
        #expect(RetentionStaging(archive: archive).staged().isEmpty)
        for id in dryRun.delete.map(\.id) { #expect(!FileManager.default.fileExists(atPath: archive.directory(of: id))) }
        for c in catalogs {
            let index = try c.open(archive)
            #expect(Set(try await index.indexedSessions().keys) == Set(archive.sessionIDs()), "\(c)")
            let hits = try await ArchiveSearch(index: index).run("tambora OR sinabung OR bromo", filters: SearchFilters(), limit: 20, perSession: 5, now: Date()).hits
            #expect(Set(hits.map(\.session)) == [ids[0]], "\(c): the deleted sessions' rows are gone")
        }
    }

    @Test("a run interrupted after the sessions left the archive is finished by the next; a shared catalog out of reach keeps the media", arguments: TestEngine.all)
    func interrupted(engine: TestEngine) async throws {
        let archive = try Self.archive(4)
        defer { try? FileManager.default.removeItem(atPath: archive.root) }
        let catalogs = try engines(engine)
        for c in catalogs { try await CatalogRefresh(engine: c, logger: Self.quiet()).refresh(archive) }
        let ids = archive.sessionIDs()
        let policy = RetentionPolicy(budgetBytes: 25_000, keepNewest: 1)
        let plan = RetentionPlan.make(archive, policy: policy, now: Self.now)
        #expect(plan.delete.map(\.id) == [ids[0], ids[1]] && plan.remainingBytes <= 25_000)
        // Killed after step 1: the folders are out of the archive, the catalogs still hold their rows.
        for item in plan.delete { try RetentionStaging(archive: archive).stage(item, by: "ada") }
        for c in catalogs { #expect(try await c.open(archive).indexedSessions()[ids[0]] != nil) }
        // A shared catalog out of reach: the archive's own catalog drops them, the media waits.
        if catalogs.count > 1 {
            let offline = await RetentionRun(archive: archive, engines: [catalogs[0]], sharedOutOfReach: true, logger: Self.quiet()).finish(by: "ada")
            #expect(offline.removed.isEmpty && Set(offline.waiting.keys) == Set(plan.delete.map(\.id)))
            #expect(RetentionStaging(archive: archive).staged() == plan.delete.map(\.id))
        }
        // The next run finishes first, then finds nothing more to delete.
        let next = await RetentionRun(archive: archive, engines: catalogs, logger: Self.quiet()).apply(policy: policy, by: "ada", now: Self.now)
        #expect(next.plan.unfinished == plan.delete.map(\.id) && next.plan.delete.isEmpty)
        #expect(next.removed == plan.delete.map(\.id) && next.waiting.isEmpty)
        #expect(RetentionStaging(archive: archive).staged().isEmpty)
        for c in catalogs { #expect(Set(try await c.open(archive).indexedSessions().keys) == [ids[2], ids[3]]) }
    }

    @Test("a trashed session the budget needs goes with its rows in every catalog, though the catalogs were not refreshed since it was trashed; a pinned one in the trash stays", arguments: TestEngine.all)
    func trashedSession(engine: TestEngine) async throws {
        let archive = try Self.archive(4)
        defer { try? FileManager.default.removeItem(atPath: archive.root) }
        let catalogs = try engines(engine)
        for c in catalogs { try await CatalogRefresh(engine: c, logger: Self.quiet()).refresh(archive) }
        let ids = archive.sessionIDs()
        let manager = SessionManager(archive: archive)
        // Both oldest trashed by hand (the first pinned before): the catalogs still hold their rows, as a
        // shared catalog does until the office's next push.
        try manager.pin(ids[0], by: "ada")
        for id in ids.prefix(2) { try manager.trash(id, by: "ada") }
        for c in catalogs { #expect(Set(try await c.open(archive).indexedSessions().keys).isSuperset(of: ids.prefix(2)), "\(c)") }
        // A budget that emptying the unpinned trashed session meets.
        let total = RetentionPlan.make(archive, policy: RetentionPolicy(keepNewest: 1), now: Self.now).totalBytes
        let policy = RetentionPolicy(budgetBytes: total - RetentionPlan.diskBytes(manager.trashDirectory + "/" + ids[1]), keepNewest: 1)
        let plan = RetentionPlan.make(archive, policy: policy, now: Self.now)
        #expect(plan.delete.map(\.id) == [ids[1]] && plan.delete.first?.reason == .trash && plan.kept.map(\.id) == [ids[0]] && plan.kept.first?.inTrash == true,
                "\(plan)")

        let outcome = await RetentionRun(archive: archive, engines: catalogs, logger: Self.quiet()).apply(policy: policy, by: "ada", now: Self.now)
        #expect(outcome.removed == [ids[1]] && outcome.waiting.isEmpty && outcome.skipped.isEmpty, "\(outcome)")
        #expect(outcome.freedBytes == plan.freedBytes && outcome.freedBytes >= 10_000)
        // Its media is gone from the trash and from staging; the pinned one is whole in the trash.
        #expect(manager.trash().map(\.id) == [ids[0]])
        #expect(!FileManager.default.fileExists(atPath: RetentionStaging(archive: archive).stagedDirectory + "/" + ids[1]))
        #expect(RetentionStaging(archive: archive).staged().isEmpty && archive.sessionIDs() == [ids[2], ids[3]])
        #expect(RetentionPlan.diskBytes(manager.trashDirectory + "/" + ids[0]) >= 10_000)
        for c in catalogs {
            let index = try c.open(archive)
            #expect(Set(try await index.indexedSessions().keys) == [ids[2], ids[3]], "\(c): nothing of the trashed sessions left")
            let hits = try await ArchiveSearch(index: index).run("bromo OR rinjani", filters: SearchFilters(), limit: 20, perSession: 5, now: Date()).hits
            #expect(hits.isEmpty, "\(c): \(hits.map(\.session))")
        }
        // Restored from the trash, the pinned session is found again.
        try manager.restore(ids[0], by: "ada")
        for c in catalogs {
            let index = try await CatalogRefresh(engine: c, logger: Self.quiet()).refresh(archive)
            let hits = try await ArchiveSearch(index: index).run("bromo", filters: SearchFilters(), limit: 20, perSession: 5, now: Date()).hits
            #expect(Set(hits.map(\.session)) == [ids[0]], "\(c)")
        }
    }
}
