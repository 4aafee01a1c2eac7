import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import SiaranArchive
import SiaranCore

/// How far a long indexing run has come (reported after each batch of sessions).
public struct IndexingProgress: Sendable, CustomStringConvertible {
    public var done: Int
    public var total: Int
    /// Seconds since indexing began.
    public var elapsed: Double

    public var isFinished: Bool { done >= total }

    /// "indexed 50 of 200 sessions (25%) in 00:00:12, about 00:00:36 left"
    public var description: String {
        let left = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        return "indexed \(done) of \(total) sessions (\(total > 0 ? done * 100 / total : 100)%) in \(ClockFormat.string(elapsed))"
            + (isFinished ? "" : ", about \(ClockFormat.string(left.rounded(.up))) left")
    }
}

/// Keeps an archive's search index in step with its session files: re-indexes the sessions whose
/// files changed, adds new ones, removes deleted ones. Engine-neutral: works through `SearchIndex`.
public struct CatalogRefresh: Sendable {
    /// How stale the index of a session being recorded may get (seconds).
    public static let liveRefreshInterval: Double = 10

    /// How long the index trusts the archive's change marker (changes made by Siaran) before it
    /// compares every session's files again (to see edits made by hand): seconds.
    public static let fullScanInterval: Double = 60

    /// Sessions indexed per write (bounds memory on a rebuild of thousands).
    static let batchSize = 50
    /// Progress is reported only when at least this many sessions are to be indexed.
    static let progressThreshold = 20

    public let engine: any SearchIndexEngine
    public var logger: Logger
    /// Called after each batch of a long indexing run.
    public var progress: (@Sendable (IndexingProgress) -> Void)?

    public init(engine: any SearchIndexEngine, logger: Logger = Logger(label: "siaran.search"),
                progress: (@Sendable (IndexingProgress) -> Void)? = nil) {
        self.engine = engine
        self.logger = logger
        self.progress = progress
    }

    /// Opens the index and brings it up to date (new, changed and removed sessions). With a shared
    /// catalog this is the office's push, and how it went is kept (`PushRecord`). `urgent`: sessions
    /// being recorded to re-index now even if they were a moment ago (a live line an alert waits for).
    @discardableResult
    public func refresh(_ archive: Archive, urgent: Set<String> = []) async throws -> any SearchIndex {
        var opened: (any SearchIndex)?
        var backlog: PushBacklog?
        guard engine is any SharedCatalogEngine else { return try await update(archive, urgent, &opened, &backlog) }
        let before = PushRecord.load(archive)
        // Until it ends, the attempt is one that did not finish (a server stopped while the catalog
        // did not answer says so).
        PushRecord.note(archive, at: Date(), error: PushRecord.Unfinished())
        do {
            let index = try await update(archive, urgent, &opened, &backlog)
            let at = Date()
            PushRecord.note(archive, at: at, error: nil)
            if let pushed = backlog?.pushed { PushedSessions.save(pushed, in: archive) }
            await PushReport.send(index, archive, backlog: backlog, at: at, error: nil, before: before, logger: logger)
            return index
        } catch {
            let at = Date()
            PushRecord.note(archive, at: at, error: error)
            // The catalog may still answer (a write it refused): say so there too, without waiting on it.
            if let opened {
                let logger = logger, failed = backlog
                Task { await PushReport.send(opened, archive, backlog: failed ?? PushBacklog(), at: at, error: error, before: nil, logger: logger) }
            }
            throw error
        }
    }

    /// `opened`: the index once open; `backlog`: what is not sent yet, kept current (nil: nothing
    /// changed since the last look).
    private func update(_ archive: Archive, _ urgent: Set<String>, _ opened: inout (any SearchIndex)?, _ backlog: inout PushBacklog?) async throws -> any SearchIndex {
        // A missing archive folder is created; an existing one may be read-only (its index then
        // lives elsewhere, as the engine decides).
        if access(archive.root, F_OK) != 0 { try archive.prepare() }
        let index = try engine.open(archive)
        opened = index
        // Nothing changed since the last look (and that look is recent): no need to stat every session.
        let marker = archive.changeMarker()
        let last = try await index.lastScan()
        if urgent.isEmpty, last.marker == marker, Date().timeIntervalSince(last.at) < Self.fullScanInterval, Date() >= last.at { return index }
        if try await index.needsCompaction() {
            let stale = try await index.staleEntries()
            logger.info("compacting the search index (\(stale) entries of changed caption files)…")
            try await index.clear()
        }
        let known = try await index.indexedSessions()
        let ids = archive.sessionIDs()
        var changed: [(id: String, fingerprint: String, date: Date)] = []
        var postponed = false
        var postponedIDs: [String] = []
        var unreadable: [String] = []
        for id in ids {
            let print = SessionIndexLoader.fingerprint(archive, id)
            guard known[id]?.fingerprint != print else { continue }
            let manifest: SessionManifest
            do { manifest = try archive.loadManifest(id) } catch {
                // Named once per change of its files; its old entries leave the index (no stale hits).
                logger.warning("skipping session \(id): \(error)")
                unreadable.append(id)
                continue
            }
            // A session being recorded changes with every segment and tag: re-index it at most every
            // `liveRefreshInterval`, so searches during a briefing do not queue up behind index writes.
            if manifest.state == .recording, !urgent.contains(id), let last = known[id]?.indexedAt, Date().timeIntervalSince(last) < Self.liveRefreshInterval {
                postponed = true
                postponedIDs.append(id)
                continue
            }
            changed.append((id, print, manifest.startedAt ?? manifest.createdAt))
        }
        let removed = Set(known.keys).subtracting(ids).union(unreadable.filter { known[$0] != nil })
        backlog = PushBacklog(sessions: Set(changed.map(\.id)).union(unreadable), removals: removed.count)
        if !removed.isEmpty { try await index.remove(Array(removed)) }
        backlog?.removals = 0
        let report = changed.count > Self.progressThreshold ? progress : nil
        if report != nil { logger.info("indexing \(changed.count) sessions…") }
        let started = Date()
        var done = 0
        // Oldest first, so row ids follow session dates; a batch at a time, to bound memory.
        let ordered = changed.sorted { $0.date < $1.date }
        for start in stride(from: 0, to: ordered.count, by: Self.batchSize) {
            let batch = ordered[start..<min(start + Self.batchSize, ordered.count)]
            let loaded = batch.compactMap { try? SessionIndexLoader.load(archive, $0.id, fingerprint: $0.fingerprint) }
            try await index.replace(loaded,
                                    freshAfter: urgent.isEmpty ? Date(timeIntervalSinceNow: -Self.liveRefreshInterval) : nil)
            backlog?.sessions.subtract(batch.map(\.id))
            done += batch.count
            report?(IndexingProgress(done: done, total: changed.count, elapsed: Date().timeIntervalSince(started)))
        }
        // A postponed live session must be looked at again by the next refresh. (Best effort: when
        // another process holds the index that long, the next refresh simply looks again.)
        try? await index.setLastScan(ArchiveScan(marker: postponed ? nil : marker, at: Date()))
        backlog?.sessions.formUnion(postponedIDs)
        // What the catalog holds now: what it had, less what left, plus what was written.
        var pushed = known.mapValues(\.fingerprint).filter { !removed.contains($0.key) }
        for session in changed where !(backlog?.sessions.contains(session.id) ?? false) { pushed[session.id] = session.fingerprint }
        backlog?.pushed = pushed
        return index
    }

    /// Deletes and rebuilds the whole index from the session files.
    public func rebuild(_ archive: Archive) async throws -> (sessions: Int, entries: Int) {
        try engine.destroy(archive)
        let index = try await refresh(archive)
        try await index.optimize()
        return (try await index.indexedSessions().count, try await index.entryCount())
    }
}

