import Foundation
@testable import SiaranCLI
import SiaranSearch
import Testing

@Suite("siaran catalog status text")
struct CatalogStatusTextTests {
    @Test("an office's report reads as its last contact; a silent office's counts are how things stood then, and a cut connection shows only once it reconnects")
    func lastContact() {
        let now = Date(timeIntervalSince1970: 1_765_000_000)
        func office(_ name: String, reported: Date) -> OfficeStatus {
            OfficeStatus(name: name, role: name + "_r", seesAll: false, mediaURL: nil, sessions: 4, rows: 80, lastPush: reported, newestSession: nil,
                         push: OfficePush(countedAt: reported, sessionsBehind: 0, rowsBehind: 0, removalsBehind: 0, lastSuccess: reported,
                                          lastFailure: nil, lastError: nil, zone: "Asia/Jayapura"))
        }
        let status = SharedCatalogStatus(location: "postgres://pusat@127.0.0.1:5432/siaran", schemaVersion: 3,
                                         offices: [office("lolak", reported: now - 3 * 86400), office("kota", reported: now - 600)],
                                         actingAs: "pusat", indexedTenantSearch: true)
        let report = CatalogCommand.Status.Report(catalog: status, office: "pusat", waitingToPush: [], rowsWaiting: 0, removalsWaiting: 0)
        let lines = CatalogCommand.Status.text(report, now: now).split(separator: "\n").map(String.init)
        let lolak = lines.firstIndex { $0.hasPrefix("  lolak:") }.map { lines[$0 + 1] } ?? ""
        let kota = lines.firstIndex { $0.hasPrefix("  kota:") }.map { lines[$0 + 1] } ?? ""
        #expect(lolak.hasPrefix("    last contact 72:00:00 ago (") && lolak.contains(" WIT): then nothing waiting; SILENT for more than a day: nothing heard since")
                && lolak.contains("once the office reaches the catalog again"), "\(lines)")
        #expect(kota.hasPrefix("    last contact ") && kota.contains("): nothing waiting") && !kota.contains("then") && !kota.contains("SILENT"), "\(lines)")
    }
}
