import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// What a retention run deletes, worked out from the archive as it is: the same list `--dry-run`,
/// the web page's preview and `apply` use (apply works it out again when it starts).
///
/// Rules: a session's date is its start (its creation when it never started); its size is what its
/// folder's files hold (media, captions, tags). First every session older than `keepDays` goes
/// (reason `age`); then, while the sessions left take more than `budgetBytes`, the oldest go (reason
/// `budget`). Never one being recorded (its lock file exists: recording now, or abandoned and waiting
/// for recovery), one pinned, or one of the `keepNewest` newest. When the budget cannot be met even
/// by deleting every session it may, it deletes nothing for the budget and says so (`shortfall`).
///
/// The trash (sessions deleted by hand, kept 30 days to be restored) takes disk too, so the budget
/// counts it (`trashBytes`, in `totalBytes`): an officer's budget is what the archive's folder may
/// hold. To meet it, the trash goes first, the earliest deleted first (reason `trash`: deleted
/// already, only sooner than its 30 days), and sessions still in the archive only after; a trashed
/// session that was pinned is kept. Age alone never touches the trash (its own 30 days do).
public struct RetentionPlan: Codable, Sendable, Equatable {
    public enum Reason: String, Codable, Sendable { case age, budget, trash }
    public enum Protection: String, Codable, Sendable { case pinned, recording, newest }

    public struct Item: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var startedAt: Date
        public var bytes: Int64
        public var reason: Reason
    }

    /// A session the policy reaches (too old, or needed for the budget) that is kept, and why.
    public struct Kept: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var startedAt: Date
        public var bytes: Int64
        public var why: Protection
        /// true when it is in the trash (a pinned session deleted by hand); nil when it is in the archive.
        public var inTrash: Bool?
    }

    /// The budget could not be met: the sessions that must be kept take `keptBytes` (more than the budget).
    public struct Shortfall: Codable, Sendable, Equatable {
        public var budgetBytes: Int64
        public var keptBytes: Int64
        public var pinnedBytes: Int64
        public var recordingBytes: Int64
        public var newestBytes: Int64
    }

    public var policy: RetentionPolicy
    public var at: Date
    /// Oldest first.
    public var delete: [Item]
    public var kept: [Kept]
    public var shortfall: Shortfall?
    public var sessions: Int
    /// What the archive's sessions and its trash take (the budget's measure).
    public var totalBytes: Int64
    /// Sessions in the trash, and what they take (counted in `totalBytes`).
    public var trashSessions: Int
    public var trashBytes: Int64
    public var freedBytes: Int64
    /// Sessions an interrupted run took out of the archive whose media is still to be removed.
    public var unfinished: [String]
    /// Sessions whose manifest cannot be read: never deleted, named so someone looks.
    public var unreadable: [String]

    public var remainingBytes: Int64 { totalBytes - freedBytes }

    struct Candidate {
        var id: String, title: String, date: Date, bytes: Int64, protection: Protection?
        var inTrash = false
    }

    /// The plan for `archive` under `policy` at `now`.
    public static func make(_ archive: Archive, policy: RetentionPolicy, now: Date = Date()) -> RetentionPlan {
        let manager = SessionManager(archive: archive)
        let locked = Set(Archive.names(in: archive.locksDirectory).filter { $0.hasSuffix(".lock") }.map { String($0.dropLast(5)) })
        var unreadable: [String] = []
        var all: [Candidate] = archive.sessionIDs().compactMap { id in
            guard let m = try? archive.loadManifest(id) else { unreadable.append(id); return nil }
            let recording = locked.contains(id) || m.state == .recording || SessionLock.isHeld(path: archive.lockPath(of: id))
            return Candidate(id: id, title: m.title, date: m.startedAt ?? m.createdAt, bytes: diskBytes(archive.directory(of: id)),
                             protection: recording ? .recording : manager.isPinned(id) ? .pinned : nil)
        }
        all.sort { ($0.date, $0.id) < ($1.date, $1.id) }
        for index in all.indices.suffix(policy.keepNewest) where all[index].protection == nil { all[index].protection = .newest }
        // The trash, the earliest deleted first.
        let trash = manager.trash().sorted { ($0.deletedAt, $0.id) < ($1.deletedAt, $1.id) }.map { t -> Candidate in
            let folder = manager.trashDirectory + "/" + t.id
            let m = (try? PlainFile.read(folder + "/session.json")).flatMap { try? JSONCoding.decoder().decode(SessionManifest.self, from: $0) }
            let pinned = SessionManager.pinned(in: EventLog(path: folder + "/events.jsonl").read().events)
            return Candidate(id: t.id, title: t.title, date: m.map { $0.startedAt ?? $0.createdAt } ?? t.deletedAt, bytes: diskBytes(folder),
                             protection: pinned ? .pinned : nil, inTrash: true)
        }
        let trashBytes = trash.reduce(Int64(0)) { $0 + $1.bytes }
        let total = all.reduce(Int64(0)) { $0 + $1.bytes } + trashBytes
        var plan = RetentionPlan(policy: policy, at: now, delete: [], kept: [], shortfall: nil, sessions: all.count, totalBytes: total,
                                 trashSessions: trash.count, trashBytes: trashBytes,
                                 freedBytes: 0, unfinished: RetentionStaging(archive: archive).staged(), unreadable: unreadable.sorted())
        var gone = Set<String>()
        func take(_ c: Candidate, _ reason: Reason) {
            plan.delete.append(Item(id: c.id, title: c.title, startedAt: c.date, bytes: c.bytes, reason: reason))
            plan.freedBytes += c.bytes
            gone.insert(c.id)
        }
        func keep(_ c: Candidate, _ why: Protection) {
            if !plan.kept.contains(where: { $0.id == c.id }) {
                plan.kept.append(Kept(id: c.id, title: c.title, startedAt: c.date, bytes: c.bytes, why: why, inTrash: c.inTrash ? true : nil))
            }
        }
        if let days = policy.keepDays {
            let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
            for c in all where c.date < cutoff {
                if let why = c.protection { keep(c, why) } else { take(c, .age) }
            }
        }
        if let budget = policy.budgetBytes, plan.remainingBytes > budget {
            let left = all.filter { !gone.contains($0.id) }
            let deletable = (trash + left).filter { $0.protection == nil }.reduce(Int64(0)) { $0 + $1.bytes }
            if plan.remainingBytes - deletable > budget {
                func sum(_ p: Protection) -> Int64 { (trash + left).filter { $0.protection == p }.reduce(Int64(0)) { $0 + $1.bytes } }
                plan.shortfall = Shortfall(budgetBytes: budget, keptBytes: plan.remainingBytes - deletable,
                                           pinnedBytes: sum(.pinned), recordingBytes: sum(.recording), newestBytes: sum(.newest))
            } else {
                for c in trash where plan.remainingBytes > budget {
                    if let why = c.protection { keep(c, why) } else { take(c, .trash) }
                }
                for c in left where plan.remainingBytes > budget {
                    if let why = c.protection { keep(c, why) } else { take(c, .budget) }
                }
            }
        }
        return plan
    }

    /// Bytes the regular files under `path` hold (their sizes; links are not followed).
    public static func diskBytes(_ path: String) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return Int64(info.st_size)
        case S_IFDIR: return Archive.names(in: path).reduce(0) { $0 + diskBytes(path + "/" + $1) }
        default: return 0
        }
    }
}
