import Foundation
import SiaranArchive
import SiaranTestSupport
import Testing

/// `siaran reindex` and `search` with `--catalog postgres://…`: two offices index into one shared
/// catalog; each searches both, and re-indexing one office leaves the other's sessions alone.
@Suite("Shared catalog")
struct SharedCatalogTests {
    func archive(_ titles: [String]) throws -> Archive {
        let archive = Archive(path: Harness.temporaryFolder("office"))
        for title in titles {
            let id = try archive.createSessionDirectory(title: title, date: Date())
            var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
            m.state = .complete
            try archive.saveManifest(m)
        }
        return archive
    }

    @Test("two offices index into one PostgreSQL catalog and find each other's sessions")
    func twoOffices() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakarta = try archive(["Sosialisasi anggaran Jakarta"]), bandung = try archive(["Rapat anggaran Bandung", "Pleno Bandung"])
        for (archive, office) in [(jakarta, "jakarta"), (bandung, "bandung")] {
            let indexed = try Harness.run(["reindex", "--archive", archive.root, "--catalog", url, "--office", office])
            #expect(indexed.status == 0, "\(indexed.stderr)")
        }
        let found = try Harness.run(["search", "anggaran", "--json", "--archive", jakarta.root], environment: ["SIARAN_CATALOG": url, "SIARAN_OFFICE": "jakarta"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("Sosialisasi anggaran Jakarta") && found.stdout.contains("Rapat anggaran Bandung"), "\(found.stdout)")
        // Jakarta's refresh and rebuild touch Jakarta's sessions only.
        #expect(try Harness.run(["reindex", "--archive", jakarta.root, "--catalog", url, "--office", "jakarta"]).status == 0)
        let again = try Harness.run(["search", "pleno", "--json", "--archive", jakarta.root, "--catalog", url, "--office", "jakarta"])
        #expect(again.stdout.contains("Pleno Bandung"), "\(again.stdout) \(again.stderr)")
        // No archive-local catalog was made.
        #expect(!FileManager.default.fileExists(atPath: jakarta.root + "/catalog.sqlite"))
        let refused = try Harness.run(["search", "anggaran", "--archive", jakarta.root, "--catalog", "mysql://x"])
        #expect(refused.status != 0 && refused.stderr.contains("postgres://"), "\(refused.stderr)")
    }
}
