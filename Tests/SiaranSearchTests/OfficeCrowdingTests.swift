import Foundation
import Logging
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Office-level crowding: on a shared catalog one busy office does not fill the first page while
/// another office has matches; an office filter, or one office alone, keeps the plain order.
@Suite("Office crowding")
struct OfficeCrowdingTests {
    let folder = TestFolder.make("office-crowding")

    func session(_ id: String, daysAgo: Double, lines: [String]) throws -> IndexedSession {
        let date = Date(timeIntervalSinceNow: -86400 * daysAgo)
        var m = SessionManifest(id: id, title: "Sesi \(id)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        let cues = lines.enumerated().map { Cue(start: Double($0.offset * 10), end: Double($0.offset * 10 + 8), text: $0.element) }
        let captions = try CaptionSource.write(cues, to: folder + "/\(id).vtt")
        return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 600), captions: [captions], fingerprint: id)
    }

    @Test("a busy office's hits beyond a quarter of the page wait behind another office's; the office filter and Ranking keep one office's order")
    func busyOfficeDoesNotFillThePage() async throws {
        let url = try PostgresTestCluster.newDatabase()
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let busy = try PostgresCatalog(url: url, office: "busy", logger: logger)
        let quiet = try PostgresCatalog(url: url, office: "quiet", logger: logger)
        try await busy.replace(try (0..<12).map { try session("busy\($0)", daysAgo: Double($0), lines: ["hoaks pemilu hari ini nomor \($0)", "hoaks lagi \($0)"]) })
        try await quiet.replace([try session("quiet0", daysAgo: 400, lines: ["hoaks pemilu di kabupaten"])])
        let page = try await ArchiveSearch(index: busy).run("hoaks", limit: 8, perSession: 3, now: Date()).hits
        #expect(page.count == 8)
        let share = Ranking.officeShare(of: 8)
        #expect(page.prefix(share).allSatisfy { $0.office == "busy" }, "\(page.map(\.session))")
        #expect(page.firstIndex { $0.office == "quiet" } == share, "\(page.map { "\($0.office ?? "-"):\($0.session)" })")
        // One office searched: its own order, a full page of it.
        let onlyBusy = try await ArchiveSearch(index: busy).run("hoaks", filters: SearchFilters(office: "busy"), limit: 8, perSession: 3, now: Date()).hits
        #expect(onlyBusy.count == 8 && onlyBusy.allSatisfy { $0.office == "busy" })
        #expect(onlyBusy.map(\.score) == onlyBusy.map(\.score).sorted(by: >))
        // Hits of one office alone (every archive's own catalog) keep their order.
        let ordered = (0..<10).map { "s\($0)" }
        #expect(Ranking.crowdedByOffice(ordered, limit: 8) { _ in nil } == ordered)
        #expect(Ranking.crowdedByOffice(["a1", "a2", "a3", "b1"], limit: 8) { String($0.prefix(1)) } == ["a1", "a2", "b1", "a3"])
    }
}
