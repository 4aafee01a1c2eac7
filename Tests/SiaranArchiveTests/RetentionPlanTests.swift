import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing

/// An archive of sessions with known dates and sizes, removed when the test ends.
final class RetentionArchive {
    let archive: Archive
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() {
        archive = Archive(path: NSTemporaryDirectory() + "retention-\(UUID().uuidString.prefix(8))")
    }

    deinit { try? FileManager.default.removeItem(atPath: archive.root) }

    /// A complete session `daysAgo` days old whose files hold `bytes` bytes (`session.json` included).
    @discardableResult
    func session(_ title: String, daysAgo: Double, bytes: Int, state: SessionState = .complete) throws -> String {
        let started = now.addingTimeInterval(-daysAgo * 86_400)
        let id = try archive.createSessionDirectory(title: title, date: started)
        var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: started, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = started
        m.state = state
        try archive.saveManifest(m)
        let json = RetentionPlan.diskBytes(archive.manifestPath(of: id))
        try Data(count: max(0, bytes - Int(json))).write(to: URL(fileURLWithPath: archive.mediaDirectory(of: id) + "/s00000.ts"))
        #expect(RetentionPlan.diskBytes(archive.directory(of: id)) == Int64(bytes))
        return id
    }
}

@Suite("Retention: policy, plan, pins, staging")
struct RetentionPlanTests {
    @Test("--keep and --budget read days/weeks/years and K/M/G/T; anything else is refused with an example")
    func parsing() throws {
        #expect(try RetentionPolicy.parseKeep("365d") == 365 && RetentionPolicy.parseKeep("52w") == 364 && RetentionPolicy.parseKeep("2y") == 730)
        #expect(try RetentionPolicy.parseBudget("500G") == 500_000_000_000 && RetentionPolicy.parseBudget("1.5T") == 1_500_000_000_000
                && RetentionPolicy.parseBudget("800mb") == 800_000_000)
        for bad in ["3x", "d", "-5d", "0d", "365", "999999y", ""] {
            #expect(throws: RetentionError.badKeep(bad)) { try RetentionPolicy.parseKeep(bad) }
        }
        for bad in ["500", "G", "-1G", "0G", "abcG", "nanG"] {
            #expect(throws: RetentionError.badBudget(bad)) { try RetentionPolicy.parseBudget(bad) }
        }
        #expect(RetentionError.badKeep("3x").description.contains("365d, 52w or 1y"))
    }

    @Test("age, then budget oldest first; pinned, recording and newest sessions are kept; dry-run figures add up")
    func plan() throws {
        let a = RetentionArchive()
        let old = try a.session("Rapat lama", daysAgo: 400, bytes: 1_000)
        let pinned = try a.session("Pleno penting", daysAgo: 390, bytes: 2_000)
        let oldish = try a.session("Sosialisasi", daysAgo: 200, bytes: 3_000)
        let live = try a.session("Siaran langsung", daysAgo: 150, bytes: 4_000, state: .recording)
        let mid = try a.session("Bimtek", daysAgo: 100, bytes: 5_000)
        let recent = try a.session("Rapat baru", daysAgo: 10, bytes: 6_000)
        let newest = try a.session("Rapat terbaru", daysAgo: 1, bytes: 7_000)
        try SessionManager(archive: a.archive).pin(pinned, by: "ada", now: a.now)
        #expect(SessionManager(archive: a.archive).isPinned(pinned))
        // The pin is a line in the pinned session's events.jsonl: its size grows by that line.
        let extra = RetentionPlan.diskBytes(a.archive.directory(of: pinned)) - 2_000
        #expect(extra > 0 && extra < 1_000)

        // Age only: the 400-day session goes; the pinned 390-day one is kept and says why.
        let byAge = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 365, keepNewest: 2), now: a.now)
        #expect(byAge.delete.map(\.id) == [old] && byAge.delete.first?.reason == .age)
        #expect(byAge.kept.map(\.id) == [pinned] && byAge.kept.first?.why == .pinned)
        #expect(byAge.totalBytes == 28_000 + extra && byAge.freedBytes == 1_000 && byAge.remainingBytes == 27_000 + extra)

        // Budget 15,000: after the age rule 27,000 are left; deleting every session it may (oldish and mid)
        // leaves 19,000 (pinned, recording, the two newest): the budget cannot be met, so it deletes nothing.
        let short = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 365, budgetBytes: 15_000, keepNewest: 2), now: a.now)
        #expect(short.delete.map(\.id) == [old], "the budget deletes nothing extra when it cannot be met")
        let s = try #require(short.shortfall)
        #expect(s.keptBytes == 19_000 + extra && s.pinnedBytes == 2_000 + extra && s.recordingBytes == 4_000 && s.newestBytes == 13_000)

        // Budget 20,000 can be met: oldish and mid go (oldest first), the live one is kept.
        let met = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 365, budgetBytes: 20_000 + extra, keepNewest: 2), now: a.now)
        #expect(met.delete.map(\.id) == [old, oldish, mid] && met.delete.map(\.reason) == [.age, .budget, .budget])
        #expect(met.remainingBytes == 19_000 + extra && met.shortfall == nil)
        #expect(Set(met.kept.map(\.id)) == [pinned, live] && met.kept.first { $0.id == live }?.why == .recording)

        // Budget alone, just below the total: only the oldest goes.
        let one = RetentionPlan.make(a.archive, policy: RetentionPolicy(budgetBytes: 27_999 + extra, keepNewest: 2), now: a.now)
        #expect(one.delete.map(\.id) == [old] && one.delete.first?.reason == .budget)
        // keepNewest covers every session: nothing goes, whatever the age.
        #expect(RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 1, keepNewest: 7), now: a.now).delete.isEmpty)
        // A session with a lock file (abandoned, waiting for recovery) is never deleted.
        try FileManager.default.createDirectory(atPath: a.archive.locksDirectory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: a.archive.lockPath(of: old), contents: Data())
        let locked = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 365, keepNewest: 2), now: a.now)
        #expect(locked.delete.isEmpty && locked.kept.contains { $0.id == old && $0.why == .recording })
        _ = (recent, newest)
    }

    @Test("the budget counts the trash and empties it first, the earliest deleted first; age never touches it; a pinned trashed session stays")
    func trash() throws {
        let a = RetentionArchive()
        let manager = SessionManager(archive: a.archive)
        let old = try a.session("Rapat lama", daysAgo: 300, bytes: 10_000)
        _ = try a.session("Rapat baru", daysAgo: 1, bytes: 3_000)
        let first = try a.session("Salah unggah", daysAgo: 50, bytes: 4_000)
        let second = try a.session("Duplikat", daysAgo: 40, bytes: 5_000)
        let kept = try a.session("Arsip penting", daysAgo: 30, bytes: 6_000)
        try manager.pin(kept, by: "ada", now: a.now)
        try manager.trash(second, by: "ada", now: a.now - 3600)
        try manager.trash(first, by: "ada", now: a.now - 7200)
        try manager.trash(kept, by: "ada", now: a.now - 60)
        func size(_ id: String) -> Int64 { RetentionPlan.diskBytes(manager.trashDirectory + "/" + id) }
        let trashBytes = size(first) + size(second) + size(kept)
        #expect(size(first) > 4_000 && size(first) < 5_000, "the trash event adds a line")

        // What the archive's folder holds: its sessions and the trash.
        let none = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepNewest: 1), now: a.now)
        #expect(none.sessions == 2 && none.trashSessions == 3 && none.trashBytes == trashBytes && none.totalBytes == 13_000 + trashBytes)
        // Age alone: the trash keeps its own 30 days.
        let byAge = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 10, keepNewest: 1), now: a.now)
        #expect(byAge.delete.map(\.id) == [old] && byAge.delete.map(\.reason) == [.age])
        // A budget the earliest deleted meets alone.
        let little = RetentionPlan.make(a.archive, policy: RetentionPolicy(budgetBytes: none.totalBytes - 1, keepNewest: 1), now: a.now)
        #expect(little.delete.map(\.id) == [first] && little.delete.map(\.reason) == [.trash] && little.delete.first?.title == "Salah unggah")
        // More: the whole trash but the pinned one, then the oldest session.
        let more = RetentionPlan.make(a.archive, policy: RetentionPolicy(budgetBytes: 3_000 + size(kept), keepNewest: 1), now: a.now)
        #expect(more.delete.map(\.id) == [first, second, old] && more.delete.map(\.reason) == [.trash, .trash, .budget], "\(more.delete)")
        #expect(more.kept.map(\.id) == [kept] && more.kept.first?.why == .pinned && more.remainingBytes == 3_000 + size(kept) && more.shortfall == nil)
        // Below what must be kept (the pinned trashed session and the newest): nothing for the budget, said.
        let short = RetentionPlan.make(a.archive, policy: RetentionPolicy(budgetBytes: 1_000, keepNewest: 1), now: a.now)
        #expect(short.delete.isEmpty && short.shortfall?.pinnedBytes == size(kept) && short.shortfall?.keptBytes == 3_000 + size(kept))

        // Staging takes a trashed session out of the trash; it is removed as any other.
        let staging = RetentionStaging(archive: a.archive)
        try staging.stage(more.delete[0], by: "ada", now: a.now)
        #expect(staging.staged() == [first] && !manager.trash().contains { $0.id == first } && a.archive.sessionIDs().count == 2)
        #expect(throws: RetentionStaging.Skip.pinned(kept)) {
            try staging.stage(RetentionPlan.Item(id: kept, title: "Arsip penting", startedAt: a.now, bytes: 1, reason: .trash), by: "ada")
        }
        try staging.remove(first, by: "ada", now: a.now)
        #expect(staging.staged().isEmpty && RetentionPlan.make(a.archive, policy: RetentionPolicy(), now: a.now).trashSessions == 2)
    }

    @Test("a staged session leaves the archive at once, is refused when pinned or locked since the plan, and its files go only at remove")
    func staging() throws {
        let a = RetentionArchive()
        let old = try a.session("Rapat lama", daysAgo: 400, bytes: 1_000)
        let other = try a.session("Rapat lain", daysAgo: 380, bytes: 1_000)
        _ = try a.session("Rapat baru", daysAgo: 1, bytes: 1_000)
        let plan = RetentionPlan.make(a.archive, policy: RetentionPolicy(keepDays: 365, keepNewest: 1), now: a.now)
        #expect(plan.delete.map(\.id) == [old, other])
        // Pinned between the plan and the run: kept.
        try SessionManager(archive: a.archive).pin(other, by: "ada")
        let staging = RetentionStaging(archive: a.archive)
        #expect(throws: RetentionStaging.Skip.pinned(other)) { try staging.stage(plan.delete[1], by: "ada") }
        try staging.stage(plan.delete[0], by: "ada", now: a.now)
        #expect(!a.archive.sessionIDs().contains(old) && staging.staged() == [old])
        #expect(RetentionPlan.make(a.archive, policy: RetentionPolicy(), now: a.now).unfinished == [old])
        try staging.remove(old, by: "ada", now: a.now)
        #expect(staging.staged().isEmpty && !FileManager.default.fileExists(atPath: staging.stagedDirectory + "/" + old))
        let log = RetentionLog(archive: a.archive).read()
        #expect(log.map(\.kind) == ["staged", "removed"] && log.first?.reason == "age" && log.last?.bytes == 1_000)
        // Unpinned, it can go.
        try SessionManager(archive: a.archive).pin(other, false, by: "ada")
        #expect(!SessionManager(archive: a.archive).isPinned(other))
    }

    @Test("the policy is kept in the archive; a damaged file is an error, not 'keep everything'")
    func policyFile() throws {
        let a = RetentionArchive()
        try a.archive.prepare()
        #expect(try RetentionPolicy.load(a.archive) == RetentionPolicy())
        let policy = RetentionPolicy(keepDays: 365, budgetBytes: 500_000_000_000, keepNewest: 5, setBy: "ada", setAt: a.now)
        try policy.save(in: a.archive)
        #expect(try RetentionPolicy.load(a.archive) == policy)
        #expect(RetentionLog(archive: a.archive).read().last?.policy == policy)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: RetentionPolicy.path(in: a.archive)))
        #expect(throws: RetentionError.self) { try RetentionPolicy.load(a.archive) }
        #expect(throws: RetentionError.badKeepNewest(-1)) { try RetentionPolicy(keepNewest: -1).validate() }
    }
}
