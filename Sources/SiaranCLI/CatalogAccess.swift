import Foundation
import SiaranArchive
import SiaranSearch

/// The command line's way to the archive's search index: through the engine the executable set up,
/// with the refresh's messages and progress on the console.
public enum CatalogAccess {
    static func refresh(for console: Console, engine: (any SearchIndexEngine)? = nil) throws -> CatalogRefresh {
        CatalogRefresh(engine: try engine ?? CommandEnvironment.searchEngine, logger: console.logger(label: "siaran.search")) { progress in
            console.status(progress.description)
            if progress.isFinished { console.finishStatus() }
        }
    }

    /// The index of `archive`, brought up to date with its session files.
    ///
    /// With a shared catalog, offline first: the archive's own catalog is brought up to date, then
    /// the office's sessions are pushed to the shared one, whose index is returned. When the shared
    /// catalog is out of reach, the archive's own answers (with a warning) and the next push sends
    /// what is missing: pushing compares every session's files with what the catalog holds.
    @discardableResult
    public static func refreshed(_ archive: Archive, console: Console = Console()) throws -> any SearchIndex {
        let engine = try CommandEnvironment.searchEngine
        guard engine is any SharedCatalogEngine, let local = CommandEnvironment.localEngine else {
            let refresh = try refresh(for: console)
            return try AsyncBridge.wait { try await refresh.refresh(archive) }
        }
        let own = try refresh(for: console, engine: local)
        let localIndex = try AsyncBridge.wait { try await own.refresh(archive) }
        if let url = CommandEnvironment.sharedCatalogURL, !CatalogReachability.answers(url) {
            console.warn("the shared catalog is out of reach (no answer from its server within \(Int(CatalogReachability.timeout)) s); "
                         + "using this archive's own catalog, and its sessions go to the shared one at the next push (siaran catalog push)")
            return localIndex
        }
        do {
            let shared = try refresh(for: console, engine: engine)
            return try AsyncBridge.wait { try await shared.refresh(archive) }
        } catch {
            console.warn("the shared catalog is out of reach (\(error)); using this archive's own catalog, "
                         + "and its sessions go to the shared one at the next push (siaran catalog push)")
            return localIndex
        }
    }

    /// The index of `archive` as it is (no refresh).
    public static func open(_ archive: Archive) throws -> any SearchIndex {
        try CommandEnvironment.searchEngine.open(archive)
    }

    /// Deletes and rebuilds the index from the session files.
    public static func rebuild(_ archive: Archive, console: Console) throws -> (sessions: Int, entries: Int) {
        let refresh = try refresh(for: console)
        return try AsyncBridge.wait { try await refresh.rebuild(archive) }
    }

    /// Runs a search as `siaran search` does (`ArchiveSearch`: corrections, expansions, headers), to its end.
    public static func search(_ index: any SearchIndex, _ query: String, filters: SearchFilters = SearchFilters(),
                              limit: Int = 20, perSession: Int? = 3) throws -> SearchResult {
        let search = ArchiveSearch(index: index)
        return try AsyncBridge.wait { try await search.run(query, filters: filters, limit: limit, perSession: perSession, now: Date()) }
    }
}
