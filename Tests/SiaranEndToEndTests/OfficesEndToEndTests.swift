import Foundation
import SiaranArchive
import SiaranTestSupport
import Testing

/// Two offices' `siaran serve` (each its own archive) and a national `siaran serve` on loopback, one
/// PostgreSQL catalog: an import at Lolak reaches the national search by itself within seconds, plays
/// through Lolak's server by a link the national server signed, and stays out of Manado's sight until
/// Lolak shares it.
@Suite("Offices end to end", .ownThreads)
struct OfficesEndToEndTests {
    static let browserScript: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Scripts/browser-offices").path
    }()

    func curl(_ arguments: [String]) throws -> Harness.Output {
        try Harness.Running("/usr/bin/curl", ["-s", "--max-time", "20"] + arguments).wait(timeout: 30)
    }

    func json(_ text: String) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:] }

    @Test("import at one office → national search → signed link plays at that office; another office sees it only once shared", .timeLimit(.minutes(20)))
    func importFoundAndPlayed() throws {
        let owner = try PostgresTestCluster.newDatabase()
        let roles = ["lolak": try PostgresTestCluster.newRole("lolak"), "manado": try PostgresTestCluster.newRole("manado"),
                     "pusat": try PostgresTestCluster.newRole("pusat")]
        let folder = Harness.temporaryFolder("offices")
        let archives = ["lolak": folder + "/lolak", "manado": folder + "/manado", "pusat": folder + "/pusat"]
        let ports = ["lolak": Harness.freePort(), "manado": Harness.freePort(), "pusat": Harness.freePort()]
        let secret = folder + "/lolak.secret"
        try "3f9a1c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7\n".write(toFile: secret, atomically: true, encoding: .utf8)

        // The national administrator adds the offices: roles, media addresses, Lolak's link secret.
        for office in ["lolak", "manado", "pusat"] {
            var arguments = ["catalog", "office", office, "--role", roles[office]!, "--catalog", owner, "--media-url", "http://127.0.0.1:\(ports[office]!)",
                             "--archive", archives["pusat"]!]
            if office == "pusat" { arguments.append("--sees-all") }
            if office == "lolak" { arguments += ["--secret-file", secret] }
            let added = try Harness.run(arguments)
            #expect(added.status == 0, "\(added.stdout) \(added.stderr)")
        }
        // Each machine connects once (Lolak keeps the same secret) and serves.
        var servers: [Harness.Running] = []
        defer { for server in servers { server.stop() } }
        for office in ["lolak", "manado", "pusat"] {
            var connect = ["catalog", "connect", "--archive", archives[office]!, "--catalog", PostgresTestCluster.url(owner, as: roles[office]!), "--office", office]
            if office == "lolak" { connect += ["--secret-file", secret] }
            let connected = try Harness.run(connect)
            #expect(connected.status == 0, "\(connected.stderr)")
            servers.append(try Harness.start(["serve", "--archive", archives[office]!, "--listen", "127.0.0.1:\(ports[office]!)"]
                                             + (office == "manado" ? ["--public"] : [])))
        }
        // Nina is a national administrator (the national catalog page is hers).
        try Harness.addUser("nina", role: "admin", archive: archives["pusat"]!)
        for port in ports.values { try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) }) }

        // An import at Lolak.
        try Harness.makeFile(folder + "/rapat.mp4", seconds: 4)
        try "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nsosialisasi pencegahan hoaks di Bolaang Mongondow\n".write(toFile: folder + "/rapat.vtt", atomically: true, encoding: .utf8)
        let imported = try Harness.run(["import", folder + "/rapat.mp4", "--captions", folder + "/rapat.vtt", "--archive", archives["lolak"]!, "--segment-duration", "2"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(FileManager.default.fileExists(atPath: archives["lolak"]! + "/" + id + "/session.json"), "\(imported.stdout)")
        let importedAt = Date()

        // Found from the national search, within seconds, with a signed link to Lolak's player.
        let jar = folder + "/national.cookies"
        let login = try curl(["-c", jar, "-H", "Content-Type: application/json", "-d", #"{"name":"nina","password":"kata-sandi-rahasia"}"#,
                              "http://127.0.0.1:\(ports["pusat"]!)/api/login"])
        #expect(login.stdout.contains("\"role\""), "\(login.stdout)")
        var hit: [String: Any] = [:]
        let found = Harness.waitUntil(timeout: 30) {
            let answer = (try? curl(["-b", jar, "http://127.0.0.1:\(ports["pusat"]!)/api/search?q=hoaks+bolaang"]))?.stdout ?? ""
            hit = (json(answer)["hits"] as? [[String: Any]])?.first { $0["session"] as? String == id } ?? [:]
            return hit["link"] != nil
        }
        try #require(found, "the import did not reach the national search: \(servers[0].wait(timeout: 1).stderr)")
        let seconds = Date().timeIntervalSince(importedAt)
        print("import at lolak found from the national search after \(String(format: "%.1f", seconds)) s")
        #expect(hit["office"] as? String == "lolak")
        let link = try #require(hit["link"] as? String)
        #expect(link.hasPrefix("http://127.0.0.1:\(ports["lolak"]!)/sessions/\(id)?t=") && link.contains("signature="), "\(link)")

        // Lolak's server lets the link in: the player page, the session, its media; nothing else.
        let officeJar = folder + "/lolak.cookies"
        let page = try curl(["-c", officeJar, "-b", officeJar, "-L", "-o", "/dev/null", "-w", "%{http_code} %{url_effective}", link])
        #expect(page.stdout.hasPrefix("200 http://127.0.0.1:\(ports["lolak"]!)/sessions/\(id)"), "\(page.stdout)")
        let session = try curl(["-b", officeJar, "-w", "\n%{http_code}", "http://127.0.0.1:\(ports["lolak"]!)/api/sessions/\(id)"])
        #expect(session.stdout.hasSuffix("\n200"), "\(session.stdout)")
        let playlist = try curl(["-b", officeJar, "-w", "\n%{http_code}", "http://127.0.0.1:\(ports["lolak"]!)/media/\(id)/index.m3u8"])
        #expect(playlist.stdout.contains("#EXTM3U") && playlist.stdout.hasSuffix("\n200"), "\(playlist.stdout)")
        let others = try curl(["-b", officeJar, "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(ports["lolak"]!)/api/sessions"])
        #expect(others.stdout == "401", "the link opens one session only: \(others.stdout)")
        // Tampered or stretched links are refused.
        let tampered = link.replacingOccurrences(of: "signature=", with: "signature=0")
        #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", tampered]).stdout == "403")
        let stretched = link.replacingOccurrences(of: #"expires=(\d+)"#, with: "expires=4102444800", options: .regularExpression)
        #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", stretched]).stdout == "403")
        let elsewhere = link.replacingOccurrences(of: "/sessions/\(id)?", with: "/sessions/\(id)x?")
        #expect(try curl(["-o", "/dev/null", "-w", "%{http_code}", elsewhere]).stdout == "403")

        // In Chromium, at phone and desktop width: the office filter, a two-word query typed into the form,
        // the office on each hit, and the hit opening Lolak's player through its signed link.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") {
            // Tondano last reached the catalog two days ago, with two sessions not pushed then.
            let tondano = try Harness.run(["catalog", "office", "tondano", "--role", try PostgresTestCluster.newRole("tondano"), "--catalog", owner,
                                           "--archive", archives["pusat"]!])
            #expect(tondano.status == 0, "\(tondano.stderr)")
            _ = try PostgresTestCluster.sql(owner, """
                INSERT INTO push_status (office, counted_at, sessions_behind, rows_behind, removals_behind, last_success, zone)
                VALUES ('tondano', extract(epoch FROM now()) - 172800, 2, 40, 0, extract(epoch FROM now()) - 172800, 'Asia/Makassar')
                """)
            let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"]
            let check = try Harness.Running("/usr/bin/env", ["python3", Self.browserScript, "--base", "http://127.0.0.1:\(ports["pusat"]!)",
                                                             "--user", "nina", "--password", "kata-sandi-rahasia", "--office", "lolak",
                                                             "--query", "hoaks bolaang", "--player", "http://127.0.0.1:\(ports["lolak"]!)",
                                                             "--silent", "tondano"]
                                            + (shots.map { ["--shots", $0] } ?? [])).wait(timeout: 120)
            #expect(check.status == 0, "browser-offices: \(check.stdout) \(check.stderr.suffix(1500))")
        }

        // Manado does not see it until Lolak shares it.
        let manado = "http://127.0.0.1:\(ports["manado"]!)/api/search?q=hoaks+bolaang"
        #expect(!(try curl([manado]).stdout.contains(id)))
        let shared = try Harness.run(["catalog", "share", id, "--with", "manado", "--archive", archives["lolak"]!])
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(Harness.waitUntil(timeout: 10) { ((try? curl([manado]))?.stdout ?? "").contains(id) })
    }
}
