import ArgumentParser
import Foundation
@testable import SiaranCLI
import SiaranCore
import Testing
import SiaranTestSupport

/// Command lines as people type them, parsed in process (no executables): what is accepted, what
/// it means, and that what is refused says what was wrong.
@Suite("Command lines as typed: accepted, meant, refused")
struct CommandLineParsingTests {
    /// Parses a whole `siaran …` command line (arguments after `siaran`), validation included.
    func parse<Command: ParsableCommand>(_ arguments: [String], as type: Command.Type = Command.self,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws -> Command {
        let parsed: ParsableCommand
        do { parsed = try SiaranCommand.parseAsRoot(arguments) } catch {
            Issue.record("\(arguments) was refused: \(SiaranCommand.message(for: error))", sourceLocation: sourceLocation)
            throw error
        }
        return try #require(parsed as? Command, "\(arguments) parsed as \(Swift.type(of: parsed))", sourceLocation: sourceLocation)
    }

    /// The message a refused command line prints; nil (and an issue) when it was accepted.
    func refusal(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            let parsed = try SiaranCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted as \(type(of: parsed))", sourceLocation: sourceLocation)
            return nil
        } catch {
            return SiaranCommand.message(for: error)
        }
    }

    @Test("record env:NAME takes the URL from the environment (a stream key kept off the command line)")
    func recordFromEnvironment() throws {
        setenv("SIARAN_TEST_SOURCE", "rtmp://example.org/live/KEY123", 1)
        defer { unsetenv("SIARAN_TEST_SOURCE") }
        let record = try parse(["record", "env:SIARAN_TEST_SOURCE"], as: Record.self)
        #expect(try record.sourceURL == "rtmp://example.org/live/KEY123")
        expectRefused(["record", "env:SIARAN_TEST_NOT_SET"], saying: "SIARAN_TEST_NOT_SET", "is not set")
        setenv("SIARAN_TEST_SOURCE", "/srv/file.ts", 1)
        expectRefused(["record", "env:SIARAN_TEST_SOURCE"], saying: "is not a stream URL")
    }

    /// Checks that `arguments` are refused with a message containing every one of `parts`.
    func expectRefused(_ arguments: [String], saying parts: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        guard let message = refusal(arguments, sourceLocation: sourceLocation) else { return }
        for part in parts {
            #expect(message.contains(part), "\(arguments): the message \"\(message)\" does not say \"\(part)\"", sourceLocation: sourceLocation)
        }
    }

    static let url = "tcp://127.0.0.1:9000"

    /// `option value` as typed: `--option=value` when the value starts with '-' (else it reads as an option).
    static func option(_ name: String, _ value: String) -> [String] {
        value.hasPrefix("-") ? ["\(name)=\(value)"] : [name, value]
    }

    // MARK: - Durations

    @Test("record's --wait, --stop-after and --give-up-after read 90s, 10m, 1h, 1h30m, HH:MM:SS, MM:SS and bare seconds",
          arguments: [("90s", 90.0), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("01:02:03", 3723), ("02:30", 150),
                      ("45", 45), ("2.5", 2.5), ("0", 0)])
    func durationsAccepted(text: String, seconds: Double) throws {
        let wait = try parse(["record", Self.url, "--wait", text], as: Record.self)
        #expect(wait.wait == seconds, "--wait \(text)")
        let stop = try parse(["record", Self.url, "--stop-after", text], as: Record.self)
        #expect(stop.stopAfter == seconds, "--stop-after \(text)")
        let giveUp = try parse(["record", Self.url, "--give-up-after", text], as: Record.self)
        #expect(giveUp.giveUpAfter == seconds, "--give-up-after \(text)")
        let stall = try parse(["record", Self.url, "--stall-timeout", text], as: Record.self)
        #expect(stall.stallTimeout == seconds, "--stall-timeout \(text)")
    }

    @Test("without the options, record waits for nothing, never stops by itself and gives up after 10 minutes")
    func durationDefaults() throws {
        let record = try parse(["record", Self.url], as: Record.self)
        #expect(record.wait == nil)
        #expect(record.stopAfter == nil)
        #expect(record.giveUpAfter == 600)
        #expect(record.stallTimeout == 10)
    }

    @Test("a duration that is not one is refused, naming the value and showing the forms that work",
          arguments: ["abc", "-5", "", "5x", "10m5", "m", "1:2:3:4", "1:-2"])
    func durationsRefused(text: String) {
        for option in ["--wait", "--stop-after", "--give-up-after"] {
            expectRefused(["record", Self.url] + Self.option(option, text), saying: "'\(text)' is not a duration", "90s", "01:30:00")
        }
    }

    @Test("a negative duration after a space is refused, not taken as zero or as another option")
    func negativeDurationAfterSpace() {
        #expect(refusal(["record", Self.url, "--wait", "-5"]) != nil)
        #expect(refusal(["record", Self.url, "--stop-after", "-5"]) != nil)
    }

    @Test("a duration made only of colons is refused (it is not zero seconds)", arguments: [":", "::"])
    func colonsOnly(text: String) {
        // (Once read as 0 seconds: `siaran record URL --stop-after :` stopped at once.)
        expectRefused(["record", Self.url, "--stop-after=\(text)"], saying: "is not a duration")
    }

    @Test("tag --at and clip --from/--to read the same durations")
    func momentsAreDurations() throws {
        let tag = try parse(["tag", "sesi", "--note", "x", "--at", "00:41:10"], as: Tag.self)
        #expect(tag.at == 2470)
        let clip = try parse(["clip", "sesi", "--from", "12:00", "--to", "1h", "-o", "/nonexistent/clip.mp4"], as: Clip.self)
        #expect(clip.from == 720 && clip.to == 3600)
        expectRefused(["tag", "sesi", "--note", "x", "--at", "kemarin"], saying: "'kemarin' is not a duration")
    }

    // MARK: - Dates

    @Test("search --since and --until take YYYY-MM-DD; --until means before the end of that day")
    func datesAccepted() throws {
        let search = try parse(["search", "hoaks", "--since", "2024-01-01", "--until", "2024-01-10", "--timezone", "UTC"], as: Search.self)
        #expect(try search.since == ISO8601.parse("2024-01-01T00:00:00Z"))
        #expect(try search.until == ISO8601.parse("2024-01-11T00:00:00Z"), "a session at 23:00 on the 10th must still be found")
        let leap = try parse(["search", "hoaks", "--since", "2024-02-29", "--timezone", "UTC"], as: Search.self)
        #expect(try leap.since == ISO8601.parse("2024-02-29T00:00:00Z"))
        // A full timestamp is taken as it is, without the extra day.
        let exact = try parse(["search", "hoaks", "--until", "2024-01-10T12:00:00Z"], as: Search.self)
        #expect(try exact.until == ISO8601.parse("2024-01-10T12:00:00Z"))
        // Days are the office's: in Jakarta the 10th begins at 17:00 UTC on the 9th.
        let jakarta = try parse(["search", "hoaks", "--since", "2024-01-10", "--until", "2024-01-10", "--timezone", "Asia/Jakarta"], as: Search.self)
        #expect(try jakarta.since == ISO8601.parse("2024-01-09T17:00:00Z") && jakarta.until == ISO8601.parse("2024-01-10T17:00:00Z"))
        expectRefused(["search", "hoaks", "--timezone", "Asia/Atlantis"], saying: "Asia/Atlantis")
    }

    @Test("a date that is not YYYY-MM-DD, or not a real day, is refused with the form to use",
          arguments: ["2024-13-01", "yesterday", "2023-02-29", "2024-1-5", "15/09/2021", ""])
    func datesRefused(text: String) {
        expectRefused(["search", "hoaks"] + Self.option("--since", text), saying: "'\(text)' is not a date", "YYYY-MM-DD")
        expectRefused(["search", "hoaks"] + Self.option("--until", text), saying: "'\(text)' is not a date", "YYYY-MM-DD")
    }

    // MARK: - tag: exactly one thing

    @Test("tag takes exactly one of --speaker, --agenda, --topic, --note, --delete, --move, --retag")
    func tagNeedsExactlyOne() throws {
        let rule = "give exactly one of --speaker, --agenda, --topic, --note, --delete, --move, --retag"
        expectRefused(["tag"], saying: rule)
        expectRefused(["tag", "sesi"], saying: rule)
        expectRefused(["tag", "--speaker", "Ilham", "--note", "x"], saying: rule)
        expectRefused(["tag", "sesi", "--topic", "hoaks", "--agenda", "2"], saying: rule)
        expectRefused(["tag", "sesi", "--delete", "a1", "--retag", "a2", "--to", "x"], saying: rule)
        expectRefused(["tag", "sesi", "--note", "x", "--move", "a1", "--at", "3"], saying: rule)

        let speaker = try parse(["tag", "--speaker", "Ilham"], as: Tag.self)
        #expect(speaker.speaker == "Ilham" && speaker.session == nil)
        #expect(try parse(["tag", "--agenda", "2"], as: Tag.self).agenda == "2")
        #expect(try parse(["tag", "--topic", "hoaks"], as: Tag.self).topic == "hoaks")
        #expect(try parse(["tag", "sesi", "--note", "tanya jawab"], as: Tag.self).note == "tanya jawab")
        #expect(try parse(["tag", "sesi", "--delete", "a1"], as: Tag.self).delete == "a1")
        let move = try parse(["tag", "sesi", "--move", "a1", "--at", "00:41:00"], as: Tag.self)
        #expect(move.move == "a1" && move.at == 2460)
        let retag = try parse(["tag", "sesi", "--retag", "a1", "--to", "Raka Sandi"], as: Tag.self)
        #expect(retag.retag == "a1" && retag.to == "Raka Sandi")
    }

    @Test("tag corrections refuse what they cannot do: --move without --at, --retag without --to, --delete without a session")
    func tagCorrectionsNeedTheirParts() {
        expectRefused(["tag", "sesi", "--move", "a1"], saying: "--move needs --at")
        expectRefused(["tag", "sesi", "--retag", "a1"], saying: "--retag needs --to")
        expectRefused(["tag", "--delete", "a1"], saying: "name the session")
        expectRefused(["tag", "--retag", "a1", "--to", "x"], saying: "name the session")
    }

    // MARK: - search

    @Test("search --limit must be between 1 and 1000")
    func searchLimit() throws {
        expectRefused(["search", "hoaks", "--limit", "0"], saying: "--limit must be between 1 and 1000")
        expectRefused(["search", "hoaks", "--limit", "1001"], saying: "--limit must be between 1 and 1000")
        expectRefused(["search", "hoaks", "--limit=-3"], saying: "--limit must be between 1 and 1000")
        #expect(try parse(["search", "hoaks", "--limit", "1"], as: Search.self).limit == 1)
        #expect(try parse(["search", "hoaks", "--limit", "1000"], as: Search.self).limit == 1000)
        #expect(try parse(["search", "hoaks"], as: Search.self).limit == 20)
        expectRefused(["search", "hoaks", "--per-session", "1001"], saying: "--per-session must be between 0 and 1000")
    }

    @Test("a query that cannot be parsed is refused as a query, never as an SQLite error")
    func badQuery() {
        for query in [["--", "-hoaks"], ["OR"], ["!!!"]] {
            guard let message = refusal(["search"] + query) else { continue }
            #expect(message.contains("cannot search for that"), "\(query): \(message)")
            #expect(!message.lowercased().contains("sqlite") && !message.lowercased().contains("fts5"), "\(query): \(message)")
        }
    }

    // MARK: - record

    @Test("record of a path without :// is refused with a hint to use import", arguments: ["rapat.mp4", "/home/kpu/zoom recording.mp4"])
    func recordOfAFile(path: String) {
        expectRefused(["record", path], saying: "'\(path)' is not a stream URL", "siaran import")
    }

    @Test("record accepts the URL forms of the sources it knows")
    func recordURLs() throws {
        for url in ["https://cdn.example.org/live/index.m3u8", "rtmp://0.0.0.0:1935/live/KEY", "srt://127.0.0.1:9000", "udp://127.0.0.1:1234"] {
            #expect(try parse(["record", url], as: Record.self).url == url)
        }
        let listen = try parse(["record", "rtmp://0.0.0.0:1935/live/KEY", "--listen", "--on-disk-full", "wait", "--format", "fmp4"], as: Record.self)
        #expect(listen.listen && listen.onDiskFull == .wait && listen.segments.format == .fmp4)
        expectRefused(["record", Self.url, "--format", "mkv"], saying: "mkv")
        expectRefused(["record", Self.url, "--on-disk-full", "ignore"], saying: "ignore")
    }

    @Test("--segment-duration must be between 1 and 60 seconds, for record and import")
    func segmentDuration() throws {
        for command in [["record", Self.url], ["import", "rapat.mp4"]] {
            expectRefused(command + ["--segment-duration", "0.5"], saying: "--segment-duration must be between 1 and 60 seconds", "0.5")
            expectRefused(command + ["--segment-duration", "61"], saying: "--segment-duration must be between 1 and 60 seconds", "61")
            expectRefused(command + ["--segment-duration", "zwei"], saying: "zwei")
        }
        #expect(try parse(["record", Self.url, "--segment-duration", "1"], as: Record.self).segments.segmentDuration == 1)
        #expect(try parse(["record", Self.url, "--segment-duration", "60"], as: Record.self).segments.segmentDuration == 60)
        #expect(try parse(["record", Self.url], as: Record.self).segments.segmentDuration == 6)
    }

    // MARK: - clip

    @Test("clip needs --from and --to, or --around")
    func clipRange() throws {
        let output = TestFolderless.path("clip.mp4")
        expectRefused(["clip", "sesi", "-o", output], saying: "give --from and --to, or --around")
        expectRefused(["clip", "sesi", "--from", "00:12:00", "-o", output], saying: "give --from and --to, or --around")
        expectRefused(["clip", "sesi", "--to", "00:13:30", "-o", output], saying: "give --from and --to, or --around")
        let range = try parse(["clip", "sesi", "--from", "00:12:00", "--to", "00:13:30", "-o", output], as: Clip.self)
        #expect(range.from == 720 && range.to == 810 && range.output == output)
        let around = try parse(["clip", "sesi", "--around", "00:12:34", "-o", output], as: Clip.self)
        #expect(around.around == 754 && around.before == 10 && around.after == 30)
    }

    @Test("clip refuses --to at or before --from")
    func clipBackwards() {
        let output = TestFolderless.path("clip.mp4")
        expectRefused(["clip", "sesi", "--from", "00:13:30", "--to", "00:12:00", "-o", output], saying: "--to must be after --from")
        expectRefused(["clip", "sesi", "--from", "90", "--to", "90", "-o", output], saying: "--to must be after --from")
    }

    @Test("clip refuses to overwrite an existing file unless --force")
    func clipExistingOutput() throws {
        let folder = TestFolder.make("siaran-parse")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/hit.mp4"
        FileManager.default.createFile(atPath: output, contents: Data("x".utf8))
        expectRefused(["clip", "sesi", "--around", "60", "-o", output], saying: "\(output) exists", "--force")
        #expect(try parse(["clip", "sesi", "--around", "60", "-o", output, "--force"], as: Clip.self).force)
    }
}

/// Output paths for commands that are only parsed, never run: in a folder that does not exist.
private enum TestFolderless {
    static func path(_ name: String) -> String { "/nonexistent-siaran-\(UUID().uuidString)/" + name }
}
