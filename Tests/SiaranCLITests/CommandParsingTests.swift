import ArgumentParser
import Foundation
@testable import SiaranCLI
import Testing

/// Command lines parsed and validated in process, as `siaran` would take them: the message a user
/// gets for a mistake says what was wrong.
@Suite("Command-line parsing")
struct CommandParsingTests {
    /// The message `siaran` prints for `arguments`, or nil when they are accepted.
    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try SiaranCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return SiaranCommand.message(for: error)
        }
    }

    @Test("durations: seconds, units, clock forms; nonsense refused with the forms to use", arguments: [
        ("90", 90.0), ("90s", 90), ("10m", 600), ("1h", 3600), ("1h30m", 5400), ("01:02:03", 3723), ("02:30", 150), ("0", 0),
    ])
    func durations(text: String, seconds: Double) throws {
        #expect(try Duration.parse(text) == seconds)
        let record = try #require(try SiaranCommand.parseAsRoot(["record", "tcp://127.0.0.1:9", "--wait", text]) as? Record)
        #expect(record.wait == seconds)
    }

    @Test("bad durations are refused, naming the value and the accepted forms", arguments: ["abc", "-5", "10x", "1:2:3:4", "m"])
    func badDurations(text: String) {
        let message = refusal(["record", "tcp://127.0.0.1:9", "--stop-after=\(text)"]) ?? "accepted"
        #expect(message.contains("is not a duration") && message.contains("90s"), "\(text): \(message)")
        #expect(refusal(["record", "tcp://127.0.0.1:9", "--stop-after="])?.contains("Missing value") == true)
    }

    @Test("dates: YYYY-MM-DD; --until means before the end of that day; others refused")
    func dates() throws {
        let search = try #require(try SiaranCommand.parseAsRoot(["search", "pemilu", "--since", "2024-01-10", "--until", "2024-01-10"]) as? Search)
        #expect(search.until!.timeIntervalSince(search.since!) == 86_400)
        for bad in ["2024-13-01", "yesterday", "10/01/2024"] {
            let message = refusal(["search", "pemilu", "--since", bad]) ?? "accepted"
            #expect(message.contains("is not a date") && message.contains("YYYY-MM-DD"), "\(bad): \(message)")
        }
    }

    @Test("tag takes exactly one of --speaker, --agenda, --topic, --note, --delete, --move, --retag")
    func tagExactlyOne() {
        #expect(refusal(["tag", "--speaker", "Ilham"]) == nil)
        #expect(refusal(["tag"])?.contains("exactly one of") == true)
        #expect(refusal(["tag", "--speaker", "Ilham", "--topic", "hoaks"])?.contains("exactly one of") == true)
        #expect(refusal(["tag", "s1", "--move", "abc"])?.contains("--move needs --at") == true)
        #expect(refusal(["tag", "s1", "--retag", "abc"])?.contains("--retag needs --to") == true)
        #expect(refusal(["tag", "--delete", "abc"])?.contains("name the session") == true)
    }

    @Test("limits and ranges are checked before anything runs")
    func ranges() {
        #expect(refusal(["search", "pemilu", "--limit", "0"])?.contains("--limit must be between 1 and 1000") == true)
        #expect(refusal(["search", "pemilu", "--limit", "1001"])?.contains("--limit") == true)
        #expect(refusal(["search", "\"\""])?.contains("cannot search for that") == true)
        #expect(refusal(["record", "tcp://h:1", "--segment-duration", "0.5"])?.contains("between 1 and 60") == true)
        #expect(refusal(["record", "tcp://h:1", "--segment-duration", "61"])?.contains("between 1 and 60") == true)
        #expect(refusal(["record", "recording.mp4"])?.contains("siaran import") == true)
        #expect(refusal(["clip", "s1", "-o", "/tmp/never-\(UUID().uuidString).mp4"])?.contains("--from and --to, or --around") == true)
        #expect(refusal(["clip", "s1", "--from", "10", "--to", "5", "-o", "/tmp/never-\(UUID().uuidString).mp4"])?.contains("--to must be after --from") == true)
    }
}
