import Foundation
import Logging
import SiaranArchive
import SiaranSearch

/// The server's way to the search catalog: one open index, brought up to date in the background
/// when the archive changes (at most one refresh at a time), so that a search never waits for
/// indexing except the very first.
actor SearchService {
    let archive: Archive
    let refresher: CatalogRefresh
    private var index: (any SearchIndex)?
    private var refreshing: Task<any SearchIndex, any Error>?
    private var lastMarker: String?
    private var lastRefresh = Date.distantPast

    init(archive: Archive, engine: any SearchIndexEngine, logger: Logger) {
        self.archive = archive
        refresher = CatalogRefresh(engine: engine, logger: logger)
    }

    /// The index, refreshed first when there is none yet; a refresh is started when the archive
    /// changed since the last one (or a minute has passed), and the current index answers meanwhile.
    func current() async throws -> any SearchIndex {
        let marker = archive.changeMarker()
        let stale = marker != lastMarker || Date().timeIntervalSince(lastRefresh) > CatalogRefresh.liveRefreshInterval
        if stale, refreshing == nil {
            let refresher = refresher, archive = archive
            lastMarker = marker
            lastRefresh = Date()
            refreshing = Task { try await refresher.refresh(archive) }
        }
        if let index, let task = refreshing {
            Task { _ = try? await self.settle(task) }
            return index
        }
        if let task = refreshing {
            return try await settle(task)
        }
        if let index { return index }
        throw CancellationError()
    }

    @discardableResult
    private func settle(_ task: Task<any SearchIndex, any Error>) async throws -> any SearchIndex {
        do {
            let fresh = try await task.value
            if refreshing == task { refreshing = nil }
            index = fresh
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            lastMarker = nil
            if let index { return index }
            throw error
        }
    }

    func search(_ text: String, filters: SearchFilters, limit: Int, perSession: Int) async throws -> SearchResult {
        let index = try await current()
        return try await ArchiveSearch(index: index).run(text, filters: filters, limit: limit, perSession: perSession, now: Date())
    }
}
