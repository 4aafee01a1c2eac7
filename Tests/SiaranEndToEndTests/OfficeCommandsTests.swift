import Foundation
import SiaranArchive
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The officer's commands on the shipped example session (recorded 15 September 2021, 02:00 UTC):
/// times in the office's zone, the session taken when none is named, the report's language.
@Suite("The officer's commands: local times, the session by default, the report's language", .ownThreads)
struct OfficeCommandsTests {
    static let id = "2021-09-15-demo-sosialisasi-juknis-bakohumas-kpu"

    /// A copy of the shipped example session in a new archive.
    static func exampleArchive() throws -> String {
        var repo = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { repo.deleteLastPathComponent() }
        let archive = Harness.temporaryFolder("archive")
        try FileManager.default.copyItem(atPath: repo.appendingPathComponent("sessions/\(id)").path, toPath: archive + "/" + id)
        return archive
    }

    @Test("sessions and show print times in the office's zone; --json gives ISO 8601 with its offset")
    func localTimes() throws {
        let archive = try Self.exampleArchive()
        let list = try Harness.run(["sessions", "--archive", archive, "--timezone", "Asia/Jakarta"])
        #expect(list.status == 0 && list.stdout.contains("2021-09-15 09.00 WIB"), "\(list.stdout)")
        let show = try Harness.run(["show", "2021-09-15", "--archive", archive, "--timezone", "Asia/Makassar"])
        #expect(show.stdout.contains("started:   Rabu, 15 September 2021, 10.00 WITA"), "\(show.stdout)")
        let english = try Harness.run(["show", "2021-09-15", "--archive", archive, "--timezone", "Asia/Jayapura", "--language", "en"])
        #expect(english.stdout.contains("started:   Wednesday, 15 September 2021, 11:00 WIT"), "\(english.stdout)")
        // $SIARAN_TIMEZONE when --timezone is not given.
        let fromEnvironment = try Harness.run(["show", "2021-09-15", "--archive", archive, "--json"], environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(fromEnvironment.stdout.utf8)) as? [String: Any])
        let session = try #require(json["session"] as? [String: Any])
        #expect(session["startedAt"] as? String == "2021-09-15T09:00:00+07:00")
        let listed = try Harness.run(["sessions", "--archive", archive, "--json", "--timezone", "UTC"]).stdout
        #expect(listed.contains("\"startedAt\" : \"2021-09-15T02:00:00+00:00\""), "\(listed)")
        // search: session days, --since and --until in the office's zone (02:00 UTC is still the 14th in Los Angeles).
        let search = try Harness.run(["search", "hoaks", "--archive", archive, "--timezone", "America/Los_Angeles", "--limit", "1"])
        #expect(search.stdout.contains("\(Self.id)  2021-09-14  "), "\(search.stdout)")
        #expect(try Harness.run(["search", "hoaks", "--archive", archive, "--since", "2021-09-15", "--timezone", "America/Los_Angeles"]).stdout.contains("no matches"))
        #expect(try Harness.run(["search", "hoaks", "--archive", archive, "--since", "2021-09-15", "--timezone", "Asia/Jakarta"]).stdout.contains(Self.id))
        let refused = try Harness.run(["sessions", "--archive", archive, "--timezone", "Asia/Atlantis"])
        #expect(refused.status != 0 && refused.stderr.contains("Asia/Atlantis") && refused.stderr.contains("Asia/Makassar"), "\(refused.stderr)")
    }

    @Test("show, report and post without a session take the latest; a mistyped id gets the nearest ids")
    func sessionByDefault() throws {
        let archive = try Self.exampleArchive()
        let show = try Harness.run(["show", "--archive", archive])
        #expect(show.status == 0 && show.stdout.hasPrefix("Demo:"), "\(show.stderr)")
        #expect(show.stderr.contains("session \(Self.id) (the latest"), "\(show.stderr)")
        let report = try Harness.run(["report", "--archive", archive, "--timezone", "Asia/Jakarta"])
        #expect(report.status == 0 && report.stdout.contains("**Tanggal:** Rabu, 15 September 2021"), "\(report.stderr)")
        #expect(report.stdout.contains("## Yang berbicara") && report.stdout.contains("mulai 09.00 WIB"), "\(report.stdout)")
        let english = try Harness.run(["report", "--archive", archive, "--language", "en", "--timezone", "Asia/Makassar", "--format", "html"])
        #expect(english.stdout.contains("<html lang=\"en\">") && english.stdout.contains("<h2>Who spoke</h2>") && english.stdout.contains("from 10:00 WITA"))
        #expect(try Harness.run(["post", "--archive", archive, "--format", "text"]).stdout.contains("Pada Rabu (15/9)"))
        let mistyped = try Harness.run(["show", "2021-09-15-demo-sosialisai", "--archive", archive])
        #expect(mistyped.status != 0 && mistyped.stderr.contains("did you mean '\(Self.id)'"), "\(mistyped.stderr)")
    }

    @Test("an agenda dated another day is warned about with both dates; the officer's choice is what the report and post print")
    func agendaDate() throws {
        let archive = try Self.exampleArchive()
        let agendaPath = archive + "/" + Self.id + "/agenda.json"
        let agenda = try String(contentsOfFile: agendaPath, encoding: .utf8).replacingOccurrences(of: "\"2021-09-15\"", with: "\"2021-08-15\"")
        try agenda.write(toFile: agendaPath, atomically: true, encoding: .utf8)
        // The example session is an import: the agenda's day stands until the officer chooses.
        let report = try Harness.run(["report", Self.id, "--archive", archive, "--timezone", "Asia/Jakarta"])
        #expect(report.stderr.contains("the agenda's date (Sunday, 15 August 2021) differs from the recording's (Wednesday, 15 September 2021)"), "\(report.stderr)")
        #expect(report.stderr.contains("--date recording") && report.stdout.contains("**Tanggal:** Minggu, 15 Agustus 2021"), "\(report.stdout)")
        let show = try Harness.run(["show", Self.id, "--archive", archive, "--timezone", "Asia/Jakarta"]).stdout
        #expect(show.contains("date:      the agenda says Minggu, 15 Agustus 2021, the recording Rabu, 15 September 2021; the report and news post use the agenda's (choose:"), "\(show)")
        let chose = try Harness.run(["agenda", Self.id, "--date", "recording", "--archive", archive])
        #expect(chose.status == 0 && chose.stdout.contains("use the recording's date, Wednesday, 15 September 2021"), "\(chose.stdout) \(chose.stderr)")
        let after = try Harness.run(["report", Self.id, "--archive", archive, "--timezone", "Asia/Jakarta"])
        #expect(after.stdout.contains("**Tanggal:** Rabu, 15 September 2021"), "\(after.stdout)")
        #expect(!after.stderr.contains("Choose with"), "\(after.stderr)")
        #expect(try Harness.run(["post", Self.id, "--archive", archive, "--format", "text"]).stdout.contains("Pada Rabu (15/9)"))
        // And back: the agenda's day.
        #expect(try Harness.run(["agenda", Self.id, "--date", "agenda", "--archive", archive]).status == 0)
        #expect(try Harness.run(["post", Self.id, "--archive", archive, "--format", "text"]).stdout.contains("Pada Minggu (15/8)"))
        #expect(try Harness.run(["agenda", Self.id, "--date", "someday", "--archive", archive]).status != 0)
    }

    @Test("serve on a port already taken fails before printing a URL, naming the port and --listen; help is not redacted")
    func serveOnATakenPort() throws {
        let archive = try Self.exampleArchive()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        try #require(listen(fd, 4) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let served = try Harness.run(["serve", "--listen", "127.0.0.1:\(port)", "--archive", archive], timeout: 30)
        #expect(served.status == 1, "\(served.stdout) \(served.stderr)")
        #expect(served.stderr.contains("port \(port) is already in use") && served.stderr.contains("--listen"), "\(served.stderr)")
        #expect(!(served.stdout + served.stderr).contains("http://"), "a URL was printed: \(served.stdout) \(served.stderr)")
        let demo = try Harness.run(["demo", "--serve", "--port", String(port)], timeout: 30)
        #expect(demo.status == 1 && demo.stderr.contains("port \(port) is already in use") && !demo.stderr.contains("recording"), "\(demo.stderr)")
        let help = try Harness.run(["record", "--help"])
        #expect(help.stdout.contains("rtmp://0.0.0.0:1935/live/KEY"), "\(help.stdout)")
    }

    @Test("demo --serve makes an account and prints it once; signing in with it works", .timeLimit(.minutes(20)))
    func demoSignIn() throws {
        let archive = Harness.temporaryFolder("demo")
        let port = Harness.freePort()
        let demo = try Harness.start(["demo", "--seconds", "4", "--serve", "--port", String(port), "--archive", archive])
        defer { demo.stop() }
        var printed = ""
        let ready = Harness.waitUntil(timeout: 120) {
            printed = (try? String(contentsOfFile: demo.stdoutPath, encoding: .utf8)) ?? ""
            return printed.contains("with the password") && Harness.accepts(port: port)
        }
        try #require(ready, "the demo did not serve: \(printed)")
        let password = try #require(printed.firstMatch(of: #/as demo with the password ([A-Za-z0-9]+)/#).map { String($0.1) }, "\(printed)")
        let login = try Harness.Running("/usr/bin/curl", ["-s", "--max-time", "30", "-H", "Content-Type: application/json",
                                                          "-d", #"{"name":"demo","password":""# + password + #""}"#,
                                                          "http://127.0.0.1:\(port)/api/login"]).wait(timeout: 40)
        #expect(login.stdout.contains("\"role\":\"admin\""), "\(login.stdout)")
        #expect(printed.components(separatedBy: password).count == 2, "the password is printed once")
    }
}
