import Foundation
import Logging
import SiaranArchive

/// Applies an archive's retention policy with its catalogs: sessions leave the archive
/// (`RetentionStaging.stage`), every catalog drops their rows (the archive's own through its refresh;
/// a shared one through this office's push, whose removal path drops what left the archive), and only
/// when no catalog holds a session any more are its files deleted. Engine-neutral; used by `siaran
/// retention apply` and by `siaran serve` once a day.
public struct RetentionRun: Sendable {
    public let archive: Archive
    /// The catalogs that may hold the archive's sessions: its own first, then a shared one.
    public let engines: [any SearchIndexEngine]
    /// A shared catalog is connected but out of reach: staged sessions keep their files until a
    /// later run can see that catalog drop them.
    public let sharedOutOfReach: Bool
    public var logger: Logger

    public init(archive: Archive, engines: [any SearchIndexEngine], sharedOutOfReach: Bool = false, logger: Logger = Logger(label: "siaran.retention")) {
        self.archive = archive
        self.engines = engines
        self.sharedOutOfReach = sharedOutOfReach
        self.logger = logger
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public var plan: RetentionPlan
        /// Planned sessions left in the archive after all, with why.
        public var skipped: [String: String]
        /// Sessions whose files were deleted for good (this run's, and an interrupted run's).
        public var removed: [String]
        public var freedBytes: Int64
        /// Sessions out of the archive whose files wait for a catalog to drop them, with why.
        public var waiting: [String: String]
    }

    /// Plans under the archive's policy, takes the planned sessions out of the archive, and finishes.
    public func apply(policy: RetentionPolicy, by author: String?, now: Date = Date()) async -> Outcome {
        let plan = RetentionPlan.make(archive, policy: policy, now: now)
        let staging = RetentionStaging(archive: archive)
        var skipped: [String: String] = [:]
        for item in plan.delete {
            do { try staging.stage(item, by: author, now: now) } catch {
                skipped[item.id] = "\(error)"
                logger.warning("retention kept \(item.id): \(error)")
            }
        }
        let (removed, freed, waiting) = await finish(by: author, now: now)
        return Outcome(plan: plan, skipped: skipped, removed: removed, freedBytes: freed, waiting: waiting)
    }

    /// Steps 2 and 3 for every staged session: refresh each catalog, then delete the files of the
    /// sessions no catalog holds.
    public func finish(by author: String?, now: Date = Date()) async -> (removed: [String], freedBytes: Int64, waiting: [String: String]) {
        let staging = RetentionStaging(archive: archive)
        let ids = staging.staged()
        guard !ids.isEmpty else { return ([], 0, [:]) }
        var waiting: [String: String] = [:]
        if sharedOutOfReach {
            for id in ids { waiting[id] = "the shared catalog is out of reach; its files are removed once the office's push has dropped its rows" }
        }
        for engine in engines {
            do {
                let index = try await CatalogRefresh(engine: engine, logger: logger).refresh(archive)
                let known = try await index.indexedSessions()
                for id in ids where known[id] != nil { waiting[id] = "a catalog still holds its rows after a refresh" }
            } catch {
                for id in ids { waiting[id] = "a catalog could not be brought up to date (\(error)); its files are removed at the next run" }
            }
        }
        var removed: [String] = []
        var freed: Int64 = 0
        for id in ids where waiting[id] == nil {
            let bytes = RetentionPlan.diskBytes(staging.stagedDirectory + "/" + id)
            do {
                try staging.remove(id, by: author, now: now)
                removed.append(id)
                freed += bytes
            } catch {
                waiting[id] = "\(error)"
            }
        }
        return (removed, freed, waiting)
    }
}
