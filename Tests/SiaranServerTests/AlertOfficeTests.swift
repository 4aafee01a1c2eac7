import Foundation
import HummingbirdTesting
import SiaranAccounts
import SiaranCatalogPostgres
import SiaranServer
import SiaranTestSupport
import Testing

/// Alerts on a national server: a user's saved search runs as their office sees the shared catalog.
@Suite("Alerts for users of offices")
struct AlertOfficeTests {
    @Test("a new session of an office the user may not see raises no alert; one of their own office does")
    func onlyVisibleOffices() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakartaRole = try PostgresTestCluster.newRole("jkt"), bandungRole = try PostgresTestCluster.newRole("bdg")
        let nationalRole = try PostgresTestCluster.newRole("pst")
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: OfficeViewTests.quiet())
        try await owner.addOffice("jakarta", role: jakartaRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("bandung", role: bandungRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: nationalRole, seesAll: true, mediaURL: nil)
        let fixture = try ServerFixture()
        let folder = TestFolder.make("alert-offices")
        let jakarta = try PostgresCatalog(url: PostgresTestCluster.url(url, as: jakartaRole), office: "jakarta", logger: OfficeViewTests.quiet())
        let bandung = try PostgresCatalog(url: PostgresTestCluster.url(url, as: bandungRole), office: "bandung", logger: OfficeViewTests.quiet())
        let j1 = try OfficeViewTests.session("j1", "Rapat Jakarta", ["rapat pleno jakarta"], speaker: "Ani", folder: folder)
        try await jakarta.replace([j1])
        let national = PostgresTestCluster.url(url, as: nationalRole)
        fixture.configure = { $0.searchEngine = PostgresCatalogEngine(url: national, office: "pusat", logger: OfficeViewTests.quiet()) }
        _ = try UserFile(archive: fixture.archive).add(name: "joko", role: .viewer, password: ServerFixture.password, cost: 4, office: "jakarta")
        let server = fixture.server()
        try await server.application().test(.router) { client in
            let joko = try await client.signIn("joko")
            #expect(try await AlertRouteTests.save(client, joko, ["q": "gudang logistik"]).status == 201)
            try await bandung.replace([try OfficeViewTests.session("b2", "Rapat Bandung", ["gudang logistik bandung penuh"], speaker: "Cici", folder: folder)])
            #expect(try await server.checkAlerts() == 0)
            #expect(try await AlertRouteTests.alerts(client, joko).isEmpty)
            try await jakarta.replace([j1, try OfficeViewTests.session("j22", "Rapat Jakarta kedua", ["gudang logistik jakarta penuh"], speaker: "Ani", folder: folder)])
            #expect(try await server.checkAlerts() == 1)
            let raised = try await AlertRouteTests.alerts(client, joko)
            #expect(raised.map { $0["session"] as? String } == ["j22"] && raised.first?["office"] as? String == "jakarta", "\(raised)")
        }
    }
}
