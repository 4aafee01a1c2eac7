import Foundation
import SiaranArchive
import Testing

@Suite("Reindex", .ownThreads)
struct ReindexTests {
    @Test("indexing many sessions says how far it has got")
    func reindexProgress() async throws {
        let archive = Archive(path: Harness.temporaryFolder("archive"))
        for n in 0..<60 {
            let id = try archive.createSessionDirectory(title: "Rapat \(n)", date: Date())
            var m = SessionManifest(id: id, title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: Date(),
                                    segmentFormat: "ts", targetSegmentDuration: 6)
            m.state = .complete
            try archive.saveManifest(m)
        }
        let result = try Harness.run(["reindex", "--archive", archive.root])
        #expect(result.status == 0, "\(result.stderr)")
        // Without a terminal, status lines are plain and at most one per 30 s: the first batch's shows.
        #expect(result.stderr.contains("indexing 60 sessions…"), "\(result.stderr)")
        #expect(result.stderr.contains("indexed 50 of 60 sessions (83%) in 00:00:"), "\(result.stderr)")
        #expect(result.stderr.contains("left"), "\(result.stderr)")
        #expect(result.stdout.contains("indexed 60 sessions"), "\(result.stdout)")
    }
}
