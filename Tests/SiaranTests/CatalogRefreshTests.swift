import Foundation
import Siaran
import SiaranArchive
import SiaranCore
import Testing

@Suite("Catalog refresh")
struct CatalogRefreshTests {
    @Test("a search compares the session files only when Siaran changed something (or a minute has passed)")
    func changeMarker() throws {
        let archive = Archive(path: Harness.temporaryFolder("archive"))
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        var m = SessionManifest(id: id, title: "Rapat pleno", kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 600, wallClockStart: Date(), bytes: 1, discontinuity: false)]
        try archive.saveManifest(m)
        let first = try CatalogIndexer.refresh(archive).lastScan()
        #expect(first.marker == archive.changeMarker())
        // Nothing changed: the next refresh trusts the marker and does not look at the sessions.
        #expect(try CatalogIndexer.refresh(archive).lastScan().at == first.at)
        // A tag changes the marker: the next search sees it.
        _ = try Tagger(archive: archive).tag(session: id, kind: .topic, value: "rekapitulasi", at: 10)
        let catalog = try CatalogIndexer.refresh(archive)
        #expect(try catalog.lastScan().at > first.at)
        #expect(try catalog.search(SearchQuery("rekapitulasi")).map(\.matched) == ["topic"])
        // An edit made by hand (no marker) is seen by the next full comparison.
        try catalog.setLastScan(marker: archive.changeMarker(), at: Date(timeIntervalSinceNow: -CatalogIndexer.fullScanInterval - 1))
        m.title = "Rapat pleno terbuka"
        try JSONCoding.encoder().encode(m).write(to: URL(fileURLWithPath: archive.manifestPath(of: id)))
        #expect(try CatalogIndexer.refresh(archive).search(SearchQuery("terbuka")).map(\.matched) == ["title"])
    }

    @Test("indexing many sessions says how far it has got")
    func reindexProgress() throws {
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
