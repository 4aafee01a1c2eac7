import Foundation
import HummingbirdTesting
import SiaranAccounts
import SiaranCatalogPostgres
import SiaranSearch
import SiaranServer
import SiaranTestSupport
import Testing

/// A national server whose engine reads from a replica (`--catalog-read`): its users' searches and
/// their alerts' matching go there, as their office sees it. (The replica here is the primary's own
/// address, which a look takes for a replica with no lag; a real standby, its lag and its outages
/// are ReadReplicaTests'.)
@Suite("Server searches through a read replica")
struct ReplicaServerTests {
    @Test("a user's search and their alert's matching read from the replica, as their office sees the catalog")
    func searchesAndAlerts() async throws {
        let url = try PostgresTestCluster.newDatabase()
        let jakartaRole = try PostgresTestCluster.newRole("rjkt"), nationalRole = try PostgresTestCluster.newRole("rpst")
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: OfficeViewTests.quiet())
        try await owner.addOffice("jakarta", role: jakartaRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("bandung", role: nil, seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: nationalRole, seesAll: true, mediaURL: nil)
        let folder = TestFolder.make("replica-server")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let jakarta = try PostgresCatalog(url: PostgresTestCluster.url(url, as: jakartaRole), office: "jakarta", logger: OfficeViewTests.quiet())
        let bandung = try PostgresCatalog(url: url, office: "bandung", logger: OfficeViewTests.quiet())
        let j1 = try OfficeViewTests.session("j1", "Rapat Jakarta", ["gudang logistik jakarta"], speaker: "Ani", folder: folder)
        try await jakarta.replace([j1])
        try await bandung.replace([try OfficeViewTests.session("b1", "Rapat Bandung", ["gudang logistik bandung"], speaker: "Cici", folder: folder)])
        let national = PostgresTestCluster.url(url, as: nationalRole)
        let engine = PostgresCatalogEngine(url: national, office: "pusat", logger: OfficeViewTests.quiet(),
                                           // 8 s, not 2: a first search on a fresh connection can take longer on a busy CI start,
                                           // and go to the primary (ReadReplicaTests, session 14); the deadline has its own test.
                                           replica: ReadReplica(url: national, maxLag: 30, checkInterval: 0.2, deadline: 8))
        let routing = try #require(try engine.sharedRouting())
        let fixture = try ServerFixture()
        fixture.configure = { $0.searchEngine = engine }
        _ = try UserFile(archive: fixture.archive).add(name: "joko", role: .viewer, password: ServerFixture.password, cost: 4, office: "jakarta")
        let server = fixture.server()
        try await server.application().test(.router) { client in
            let joko = try await client.signIn("joko")
            let (status, body) = try await client.json("/api/search?q=gudang+logistik", headers: joko.headers)
            let hits = (body["hits"] as? [[String: Any]] ?? []).compactMap { $0["session"] as? String }
            #expect(status == 200 && Set(hits) == ["j1"], "\(body)")
            let searched = routing.answers(from: .replica)
            #expect(searched > 0)
            #expect(try await AlertRouteTests.save(client, joko, ["q": "gudang penuh"]).status == 201)
            try await bandung.replace([try OfficeViewTests.session("b2", "Rapat Bandung kedua", ["gudang penuh di bandung"], speaker: "Cici", folder: folder)])
            try await jakarta.replace([j1, try OfficeViewTests.session("j2", "Rapat Jakarta kedua", ["gudang penuh di jakarta"], speaker: "Ani", folder: folder)])
            #expect(try await server.checkAlerts() == 1)
            #expect(try await AlertRouteTests.alerts(client, joko).map { $0["session"] as? String } == ["j2"])
            #expect(routing.answers(from: .replica) > searched)
        }
    }
}
