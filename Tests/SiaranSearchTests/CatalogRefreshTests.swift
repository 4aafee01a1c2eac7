import Foundation
import SiaranArchive
import SiaranCore
import SiaranCatalogSQLite
import SiaranSearch
import SiaranTestSupport
import Testing

@Suite("Catalog refresh")
struct CatalogRefreshTests {
    @Test("a search compares the session files only when Siaran changed something (or a minute has passed)")
    func changeMarker() async throws {
        let archive = Archive(path: TestFolder.make("archive"))
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        var m = SessionManifest(id: id, title: "Rapat pleno", kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 600, wallClockStart: Date(), bytes: 1, discontinuity: false)]
        try archive.saveManifest(m)
        let first = try await TestCatalog.refresh(archive).lastScan()
        #expect(first.marker == archive.changeMarker())
        // Nothing changed: the next refresh trusts the marker and does not look at the sessions.
        #expect(try await TestCatalog.refresh(archive).lastScan().at == first.at)
        // A tag changes the marker: the next search sees it.
        _ = try Tagger(archive: archive).tag(session: id, kind: .topic, value: "rekapitulasi", at: 10)
        let catalog = try await TestCatalog.refresh(archive)
        #expect(try await catalog.lastScan().at > first.at)
        #expect(try await catalog.search(SearchQuery("rekapitulasi")).map(\.matched) == ["topic"])
        // An edit made by hand (no marker) is seen by the next full comparison.
        try await catalog.setLastScan(ArchiveScan(marker: archive.changeMarker(), at: Date(timeIntervalSinceNow: -CatalogRefresh.fullScanInterval - 1)))
        m.title = "Rapat pleno terbuka"
        try JSONCoding.encoder().encode(m).write(to: URL(fileURLWithPath: archive.manifestPath(of: id)))
        #expect(try await TestCatalog.refresh(archive).search(SearchQuery("terbuka")).map(\.matched) == ["title"])
    }

    @Test("a session folder copied into the archive by hand is searchable at once, not after a minute")
    func copiedByHand() async throws {
        let archive = Archive(path: TestFolder.make("archive"))
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        var m = SessionManifest(id: id, title: "Rapat pleno", kind: .imported, source: "x.mp4", createdAt: Date(), segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 600, wallClockStart: Date(), bytes: 1, discontinuity: false)]
        try archive.saveManifest(m)
        let first = try await TestCatalog.refresh(archive).lastScan()
        // Copied as an officer would (cp -r), with no `.changes` byte: only the folder list changed.
        let copy = "2021-12-05-rekapitulasi-suara"
        try FileManager.default.createDirectory(atPath: archive.mediaDirectory(of: copy), withIntermediateDirectories: true)
        m.id = copy
        m.title = "Rekapitulasi suara"
        try JSONCoding.encoder().encode(m).write(to: URL(fileURLWithPath: archive.manifestPath(of: copy)))
        let catalog = try await TestCatalog.refresh(archive)
        #expect(try await catalog.lastScan().at > first.at)
        #expect(try await catalog.search(SearchQuery("rekapitulasi")).map(\.session) == [copy])
    }
}
