import Foundation
import Logging
import SiaranCatalogPostgres
import SiaranCatalogSQLite
import SiaranSearch

/// The catalog engines the behaviour suites run against (`@Test(arguments: TestEngine.all)`): each
/// test opens an empty index of its own, a SQLite file in its folder or a database of the process's
/// PostgreSQL cluster (`PostgresTestCluster`).
public enum TestEngine: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public static let all = allCases

    public var description: String { rawValue }

    /// An empty index; `folder`: where a SQLite catalog lives.
    public func makeIndex(folder: String) throws -> any SearchIndex {
        // Caption files are written there for either engine.
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        switch self {
        case .sqlite:
            return try SQLiteCatalog(path: folder + "/catalog.sqlite")
        case .postgres:
            var logger = Logger(label: "siaran.catalog.test")
            logger.logLevel = .warning
            return try PostgresCatalog(url: try PostgresTestCluster.newDatabase(), logger: logger)
        }
    }

    /// Both engines holding `sessions`: a SQLite catalog in `folder` and a PostgreSQL database of its
    /// own (its log quiet), for tests that compare what the shared catalog reads with SQLite's hits.
    public static func bothHolding(_ sessions: [IndexedSession], folder: String) async throws -> (sqlite: any SearchIndex, postgres: PostgresCatalog) {
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder)
        try await sqlite.replace(sessions)
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let postgres = try PostgresCatalog(url: try PostgresTestCluster.newDatabase(), logger: logger)
        try await postgres.replace(sessions)
        return (sqlite, postgres)
    }

    /// Whether re-indexing a session whose caption file was rewritten leaves its old rows behind
    /// (the SQLite catalog keeps no caption text, so it cannot remove them exactly).
    public var leavesStaleRows: Bool { self == .sqlite }
}
