import Foundation
#if canImport(Glibc)
import Glibc
#endif
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

/// Temporary folders for tests, all in one folder of the test process (`root`) that is removed when
/// the process exits; a process that died without exiting leaves its folder to the next one, which
/// removes it. Processes the tests start get it as their `TMPDIR` (Harness), so what they leave in
/// their temporary folder (Chromium profiles, scripts' downloads) goes with it.
public enum TestFolder {
    private static let prefix = "siaran-tests-"

    /// This process's folder, made at first use.
    public static let root: String = {
        removeAbandoned()
        let root = NSTemporaryDirectory() + prefix + "\(getpid())-\(UUID().uuidString.prefix(6))"
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { TestFolder.remove(TestFolder.root) }
        return root
    }()

    /// A fresh temporary folder.
    public static func make(_ name: String = "siaran-test") -> String {
        let path = root + "/\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The folders of test processes that are gone.
    private static func removeAbandoned() {
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid(),
                  kill(pid, 0) != 0 && errno == ESRCH else { continue }
            remove(temporary + name)
        }
    }

    /// Removes a folder whatever its contents' modes (tests make unreadable and unwritable files),
    /// never crossing into a file system mounted inside it (a test's tmpfs left mounted stays).
    private static func remove(_ path: String) {
        let quoted = "'" + path + "'"
        _ = system("rm -rf --one-file-system \(quoted) 2>/dev/null || { chmod -R u+rwx \(quoted); rm -rf --one-file-system \(quoted); } 2>/dev/null")
    }
}
