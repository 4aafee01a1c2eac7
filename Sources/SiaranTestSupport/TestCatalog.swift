import Foundation
import SiaranArchive
import SiaranCatalogSQLite
import SiaranSearch

/// The SQLite catalog as tests use it.
public enum TestCatalog {
    /// The archive's catalog, refreshed from its session files.
    @discardableResult
    public static func refresh(_ archive: Archive) async throws -> any SearchIndex {
        try await CatalogRefresh(engine: SQLiteCatalogEngine()).refresh(archive)
    }

    /// The archive's catalog as it is.
    public static func open(_ archive: Archive) throws -> any SearchIndex {
        try SQLiteCatalogEngine().open(archive)
    }
}

extension SearchIndex {
    /// Replaces these sessions' entries (whatever was indexed when).
    public func replace(_ sessions: [IndexedSession]) async throws {
        try await replace(sessions, freshAfter: nil)
    }
}

/// Temporary folders for tests.
public enum TestFolder {
    /// A fresh temporary folder.
    public static func make(_ name: String = "siaran-test") -> String {
        let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
