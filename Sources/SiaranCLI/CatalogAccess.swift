import Foundation
import SiaranArchive
import SiaranSearch

/// The command line's way to the archive's search index: through the engine the executable set up,
/// with the refresh's messages and progress on the console.
public enum CatalogAccess {
    static func refresh(for console: Console) throws -> CatalogRefresh {
        CatalogRefresh(engine: try CommandEnvironment.searchEngine, logger: console.logger(label: "siaran.search")) { progress in
            console.status(progress.description)
            if progress.isFinished { console.finishStatus() }
        }
    }

    /// The index of `archive`, brought up to date with its session files.
    @discardableResult
    public static func refreshed(_ archive: Archive, console: Console = Console()) throws -> any SearchIndex {
        let refresh = try refresh(for: console)
        return try AsyncBridge.wait { try await refresh.refresh(archive) }
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
