import Foundation
import Logging
import SiaranArchive
import SiaranSearch

/// The server's way to the search catalog: one open index, brought up to date in the background
/// when the archive changes (at most one refresh at a time), so that a search never waits for
/// indexing except the very first.
///
/// With a shared catalog, a refresh is this office's push (its new, changed and removed sessions),
/// and the archive's own catalog is the fallback: while the shared one is out of reach, searches
/// answer from the archive's own catalog and the push is tried again at the next refresh (the
/// server calls `current()` every `pushInterval`), so an office offline keeps working and catches up.
actor SearchService {
    let archive: Archive
    let refresher: CatalogRefresh
    let fallback: CatalogRefresh?
    let logger: Logger
    private var index: (any SearchIndex)?
    private var refreshing: Task<any SearchIndex, any Error>?
    /// The archive as the last refresh was started on it (forgotten when one fails: the next search tries again).
    private var refreshed = ArchiveLook()
    /// The archive as the last background push saw it (`pushIfDue`).
    private var pushed = ArchiveLook()
    /// Whether the last refresh of the shared catalog failed (said once per outage).
    private var unreachable = false

    /// How often the server pushes to a shared catalog when nobody searches.
    static let pushInterval: Duration = .seconds(30)
    /// How often the server looks whether the archive changed (a change marker read), to push it.
    static let changeInterval: Duration = .seconds(2)

    init(archive: Archive, engine: any SearchIndexEngine, fallback: (any SearchIndexEngine)? = nil, logger: Logger) {
        self.archive = archive
        self.logger = logger
        refresher = CatalogRefresh(engine: engine, logger: logger)
        self.fallback = fallback.map { CatalogRefresh(engine: $0, logger: logger) }
    }

    /// The index, refreshed first when there is none yet; a refresh is started when the archive
    /// changed since the last one (or a minute has passed), and the current index answers meanwhile.
    func current() async throws -> any SearchIndex {
        let marker = archive.changeMarker()
        if refreshed.isDue(marker, every: .seconds(CatalogRefresh.liveRefreshInterval)), refreshing == nil {
            let refresher = refresher, archive = archive
            refreshed.saw(marker)
            refreshing = Task { try await refresher.refresh(archive) }
        }
        if let index, let task = refreshing {
            Task { _ = try? await self.settle(task) }
            return index
        }
        if let task = refreshing {
            // A shared catalog that does not answer (a connection being retried) must not hold the
            // first search: after `patience` the archive's own catalog answers, and the push goes on.
            if let fallback {
                let waited = Task { try await self.settle(task) }
                let started = ContinuousClock.now
                while ContinuousClock.now - started < Self.patience {
                    if refreshing != task { return try await waited.value }
                    try await Task.sleep(for: .milliseconds(100))
                }
                offline("no answer within \(Self.patience)")
                let own = try await fallback.refresh(archive)
                if index == nil { index = own }
                return own
            }
            return try await settle(task)
        }
        if let index { return index }
        throw CancellationError()
    }

    /// How long a first search waits for the shared catalog before the archive's own answers.
    static let patience: Duration = .seconds(8)

    private func offline(_ error: Any) {
        if !unreachable {
            logger.warning("the shared catalog is out of reach (\(error)); searching this archive's own catalog, and pushing again every \(Self.pushInterval)")
            unreachable = true
        }
    }

    @discardableResult
    private func settle(_ task: Task<any SearchIndex, any Error>) async throws -> any SearchIndex {
        do {
            let fresh = try await task.value
            if refreshing == task { refreshing = nil }
            if unreachable {
                logger.notice("the shared catalog is reachable again; this office's sessions are pushed")
                unreachable = false
            }
            index = fresh
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            refreshed.forget()
            if let fallback {
                offline(error)
                let own = try await fallback.refresh(archive)
                index = own
                return own
            }
            if let index { return index }
            throw error
        }
    }

    /// The background push with a shared catalog (`WebServer.run` calls it every `changeInterval`):
    /// a refresh when the archive changed since the last push (an import is in the national search
    /// within seconds), else every `pushInterval` (which is also how often an outage is retried).
    func pushIfDue() async {
        let marker = archive.changeMarker()
        guard pushed.isDue(marker, every: Self.pushInterval) else { return }
        pushed.saw(marker)
        _ = try? await current()
    }

    /// Brings the index up to date now and waits for it: after a transcript correction the very next
    /// search finds the corrected words (with a shared catalog: its push, or the archive's own catalog).
    func refreshNow() async throws {
        if let task = refreshing { try? await settle(task) }
        _ = try await current()
        if let task = refreshing { try await settle(task) }
    }

    /// Re-indexes the recording sessions `urgent` now (not after `CatalogRefresh.liveRefreshInterval`)
    /// and waits for it: a live line that may match a saved search alerts as it is appended.
    func refreshNow(urgent: Set<String>) async throws {
        if let task = refreshing { try? await settle(task) }
        let refresher = refresher, archive = archive
        refreshed.saw(archive.changeMarker())
        let task = Task { try await refresher.refresh(archive, urgent: urgent) }
        refreshing = task
        try await settle(task)
    }

    /// Searches as the server sees the catalog, or as office `viewer` does (`OfficeView`).
    func search(_ text: String, filters: SearchFilters, limit: Int, perSession: Int, viewer: String? = nil) async throws -> SearchResult {
        let index = try await viewed(by: viewer)
        return try await ArchiveSearch(index: index).run(text, filters: filters, limit: limit, perSession: perSession, now: Date())
    }

    /// The index as `viewer` sees it. Only a shared catalog can answer for another office: while it
    /// is out of reach (the archive's own catalog answering), such a user is told so, not shown this
    /// office's sessions.
    func viewed(by viewer: String?) async throws -> any SearchIndex {
        let index = try await current()
        guard let viewer else { return index }
        guard let shared = index as? any ViewableSearchIndex else { throw APIError(.serviceUnavailable, key: "error.catalogOffline") }
        return shared.viewed(by: viewer)
    }

    /// The offices `viewer` (nil: the server's own view) may see sessions of; none without a shared catalog.
    func offices(viewer: String?) async throws -> [VisibleOffice] {
        guard let shared = try await current() as? any ViewableSearchIndex else {
            if viewer != nil { throw APIError(.serviceUnavailable, key: "error.catalogOffline") }
            return []
        }
        return try await shared.offices(viewedBy: viewer)
    }

    /// The shared catalog's offices and their reported pushes, as this server's role may see them.
    func catalogStatus() async throws -> SharedCatalogStatus {
        guard let shared = try await current() as? any SharedCatalogAdministration else { throw APIError(.serviceUnavailable, key: "error.catalogUnreachable") }
        return try await shared.status()
    }

    /// The ids of `owner`'s sessions office `viewer` may see.
    func sessionIDs(of owner: String, viewedBy viewer: String) async throws -> Set<String> {
        guard let shared = try await current() as? any ViewableSearchIndex else { throw APIError(.serviceUnavailable, key: "error.catalogOffline") }
        return try await shared.sessionIDs(of: owner, viewedBy: viewer)
    }
}

/// The archive as a refresh last saw it: its change marker, and when. Another is due when the marker
/// moved (a session recorded, imported, tagged, corrected or deleted) or `interval` has passed.
struct ArchiveLook {
    private var marker: String?
    private var at: ContinuousClock.Instant?

    func isDue(_ marker: String, every interval: Duration) -> Bool {
        guard let at else { return true }
        return marker != self.marker || ContinuousClock.now - at >= interval
    }

    mutating func saw(_ marker: String) {
        self.marker = marker
        at = .now
    }

    /// Makes the next look due whatever the marker (a refresh that failed).
    mutating func forget() { marker = nil }
}
