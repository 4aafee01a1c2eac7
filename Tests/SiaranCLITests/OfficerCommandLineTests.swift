import ArgumentParser
import Foundation
import SiaranAccounts
import SiaranArchive
@testable import SiaranCLI
import SiaranCore
import SiaranTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The officer's command lines: help printed as written, secrets still redacted from errors, the
/// office's zone and language, and a session taken when none is named.
@Suite("The officer's command lines")
struct OfficerCommandLineTests {
    /// What `siaran ARGS` would print when parsing ends with an error (help included).
    func printed(_ arguments: [String]) -> (text: String, code: ExitCode)? {
        do {
            // `--help` parses as ArgumentParser's help command, whose run throws the help text.
            var command = try SiaranCommand.parseAsRoot(arguments)
            if String(describing: type(of: command)).contains("HelpCommand") { try command.run() }
            return nil
        } catch {
            return SiaranCommand.printable(error)
        }
    }

    @Test("--help is printed as written: its examples are not redacted")
    func helpNotRedacted() throws {
        let record = try #require(printed(["record", "--help"]))
        #expect(record.code == .success)
        #expect(record.text.contains("rtmp://0.0.0.0:1935/live/KEY"), "\(record.text)")
        #expect(!record.text.contains("***"))
        let search = try #require(printed(["search", "--help"]))
        #expect(search.text.contains("postgres://USER@HOST:PORT/DATABASE"), "\(search.text)")
    }

    @Test("an argument error still hides the stream key it quotes")
    func errorsRedacted() throws {
        let refused = try #require(printed(["sessions", "rtmp://h/live/sk_live_SECRET123"]))
        #expect(refused.code != .success)
        #expect(!refused.text.contains("SECRET123") && refused.text.contains("rtmp://h/live/***"), "\(refused.text)")
    }

    @Test("show, report and post take no session (the current or latest); --timezone and --language are checked")
    func optionalSessionAndOfficeOptions() throws {
        #expect(try (SiaranCommand.parseAsRoot(["show"]) as? Show) != nil)
        #expect(try (SiaranCommand.parseAsRoot(["report", "--format", "html"]) as? Report) != nil)
        #expect(try (SiaranCommand.parseAsRoot(["post"]) as? PostCommand) != nil)
        let show = try #require(SiaranCommand.parseAsRoot(["show", "--timezone", "Asia/Makassar", "--language", "en"]) as? Show)
        #expect(try show.office.time().zone.identifier == "Asia/Makassar")
        #expect(try show.office.chosenLanguage() == .english)
        #expect(try (SiaranCommand.parseAsRoot(["sessions"]) as? Sessions)?.office.chosenLanguage() == .indonesian)
        let badZone = try #require(printed(["sessions", "--timezone", "Asia/Atlantis"]))
        #expect(badZone.code != .success && badZone.text.contains("Asia/Atlantis") && badZone.text.contains("Asia/Makassar"), "\(badZone.text)")
        // serve hands its zone to the web server; an unknown one is refused, not served as UTC.
        let serve = try #require(SiaranCommand.parseAsRoot(["serve", "--timezone", "Asia/Jayapura"]) as? Serve)
        #expect(try serve.zone().identifier == "Asia/Jayapura")
        #expect(try #require(printed(["serve", "--timezone", "Mars/Olympus"])).text.contains("Mars/Olympus"))
        let badLanguage = try #require(printed(["show", "--language", "fr"]))
        #expect(badLanguage.text.contains("id (Indonesian) or en (English)"), "\(badLanguage.text)")
    }

    /// A socket listening on 127.0.0.1 at a port the system picked: (descriptor, port).
    static func listening() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        try #require(bound == 0 && listen(fd, 4) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a port already taken is refused before serving, naming the port and --listen; a free one passes")
    func portTaken() throws {
        let (fd, port) = try Self.listening()
        do {
            try ListenCheck.ensureFree(host: "127.0.0.1", port: port)
            Issue.record("a taken port was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("port \(port) is already in use") && text.contains("--listen 127.0.0.1:\(port + 1)"), "\(text)")
        }
        #expect(throws: CommandFailure.self) { try Serve.ensurePortFree(port) }
        close(fd)
        try ListenCheck.ensureFree(host: "127.0.0.1", port: port)
        try ListenCheck.ensureFree(host: "127.0.0.1", port: 0)
    }

    @Test("the demo makes an admin account `demo` with a random password when the archive has none, and only then")
    func demoAccount() throws {
        let archive = Archive(path: TestFolder.make("demo-account"))
        let made = try #require(try DemoAccount.makeIfNone(in: archive, cost: 4))
        #expect(made.name == "demo" && made.password.count == 16)
        let account = try #require(try UserFile(archive: archive).verify(name: "demo", password: made.password))
        #expect(account.role == .admin)
        #expect(try UserFile(archive: archive).verify(name: "demo", password: "wrong password") == nil)
        #expect(DemoAccount.signInLine(made, archive: archive, port: 8080).contains("as demo with the password \(made.password)"))
        // Accounts exist now: no second account, no password printed.
        #expect(try DemoAccount.makeIfNone(in: archive, cost: 4) == nil)
        #expect(try UserFile(archive: archive).load().count == 1)
        #expect(try DemoAccount.makeIfNone(in: Archive(path: TestFolder.make("demo-account")), cost: 4)?.password != made.password)
    }
}
