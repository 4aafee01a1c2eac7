import Foundation
import SiaranArchive
import SiaranTestSupport
import Testing

/// `--catalog-read` on the command line: `siaran search` reads from the replica it names, and answers
/// from the primary when that replica does not answer, saying so once and without its password;
/// `siaran catalog connect` keeps the replica with the catalog. (Routing itself: ReadReplicaTests.)
@Suite("Read replica on the command line", .ownThreads)
struct ReplicaCommandTests {
    @Test("siaran search with a replica that does not answer finds from the primary and says so once; catalog connect keeps the replica")
    func searchThroughReplica() throws {
        let url = try PostgresTestCluster.newDatabase()
        let archive = try SharedCatalogTests().archive(["Rapat anggaran Jakarta"], cues: 3)
        defer { try? FileManager.default.removeItem(atPath: archive.root) }
        let down = "postgres://postgres:rahasia-replika@127.0.0.1:\(TestPort.free())/replica"
        let found = try Harness.run(["search", "anggaran pemilu", "--json", "--archive", archive.root, "--catalog", url, "--office", "jakarta",
                                     "--catalog-read", down, "--replica-max-lag", "5"])
        #expect(found.status == 0 && found.stdout.contains("Rapat anggaran Jakarta"), "\(found.stdout) \(found.stderr)")
        let said = found.stderr.components(separatedBy: "searches go to the primary: the replica postgres://postgres@127.0.0.1:").count - 1
        #expect(said == 1 && found.stderr.contains("does not answer"), "\(found.stderr)")
        #expect(!found.stderr.contains("rahasia") && !found.stdout.contains("rahasia"))

        // siaran catalog status says where searches read, and why.
        let status = try Harness.run(["catalog", "status", "--archive", archive.root, "--catalog", url, "--office", "jakarta", "--catalog-read", down])
        #expect(status.status == 0 && status.stdout.contains("searches read from the primary: the replica postgres://postgres@127.0.0.1:")
                && status.stdout.contains("does not answer") && !status.stdout.contains("rahasia"), "\(status.stdout) \(status.stderr)")
        let statusJSON = try Harness.run(["catalog", "status", "--json", "--archive", archive.root, "--catalog", url, "--office", "jakarta", "--catalog-read", down])
        #expect(statusJSON.stdout.contains("\"readReplica\"") && statusJSON.stdout.contains("\"inUse\" : false"), "\(statusJSON.stdout)")

        // Or named by the environment.
        let fromEnvironment = try Harness.run(["search", "anggaran", "--json", "--archive", archive.root],
                                              environment: ["SIARAN_CATALOG": url, "SIARAN_OFFICE": "jakarta", "SIARAN_CATALOG_READ": down])
        #expect(fromEnvironment.status == 0 && fromEnvironment.stdout.contains("Rapat anggaran Jakarta")
                && fromEnvironment.stderr.contains("searches go to the primary: the replica"), "\(fromEnvironment.stderr)")

        // Kept by catalog connect (the file is the owner's only), used by the next search without options.
        let connected = try Harness.run(["catalog", "connect", "--archive", archive.root, "--catalog", url, "--office", "jakarta", "--catalog-read", down])
        #expect(connected.status == 0 && connected.stdout.contains("read from the replica postgres://postgres:***@"), "\(connected.stdout) \(connected.stderr)")
        #expect(CatalogSettings.load(archive)?.catalogRead == down)
        let again = try Harness.run(["search", "anggaran", "--json", "--archive", archive.root])
        #expect(again.status == 0 && again.stdout.contains("Rapat anggaran Jakarta") && again.stderr.contains("searches go to the primary"),
                "\(again.stdout) \(again.stderr)")
        // A replica given without its primary, or a bound that is not a duration, is refused with what to do.
        let lonely = Harness.temporaryFolder("replica-alone")
        defer { try? FileManager.default.removeItem(atPath: lonely) }
        let alone = try Harness.run(["search", "anggaran", "--archive", lonely, "--catalog-read", down])
        #expect(alone.status != 0 && alone.stderr.contains("give --catalog too"), "\(alone.stderr)")
        let zero = try Harness.run(["search", "anggaran", "--archive", archive.root, "--catalog-read", down, "--replica-max-lag", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--replica-max-lag"), "\(zero.stderr)")
    }
}
