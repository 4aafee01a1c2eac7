import Foundation
import SiaranArchive
import SiaranCatalogSQLite
import SiaranSearch
import SiaranTestSupport
import Testing

@Suite("Catalog opened by many at once")
struct CatalogConcurrencyTests {
    @Test("several openers of a new catalog never trip over each other's migrations (soak regression)")
    func concurrentFirstOpen() async throws {
        for round in 0..<5 {
            let folder = TestFolder.make("catalog-race-\(round)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/catalog.sqlite"
            let failures = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do { _ = try await SQLiteCatalog(path: path).indexedSessions(); return nil } catch { return "\(error)" }
                    }
                }
                var failures: [String] = []
                for try await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            #expect(failures.isEmpty, "\(failures.first ?? "")")
        }
    }
}
