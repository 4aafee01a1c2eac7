import ArgumentParser
import Foundation
@testable import SiaranCLI
import Testing

/// `siaran voices` command lines: one thing at a time, and each option with its partner.
@Suite("siaran voices command lines")
struct VoicesParsingTests {
    func refusal(_ arguments: [String]) -> String {
        do {
            let parsed = try SiaranCommand.parseAsRoot(["voices"] + arguments)
            Issue.record("\(arguments) was accepted as \(type(of: parsed))")
            return ""
        } catch {
            return SiaranCommand.message(for: error)
        }
    }

    @Test("accepted: a session, --enable, --library [--delete], --enroll with --from; refused with what to type")
    func modes() throws {
        let run = try #require(try SiaranCommand.parseAsRoot(["voices", "2021-09-15-bakohumas", "--json"]) as? Voices)
        #expect(run.session == "2021-09-15-bakohumas" && run.json)
        let delete = try #require(try SiaranCommand.parseAsRoot(["voices", "--library", "--delete", "Ilham Saputra"]) as? Voices)
        #expect(delete.delete == "Ilham Saputra")
        let enroll = try #require(try SiaranCommand.parseAsRoot(["voices", "--enroll", "Raka Sandi", "--from", "s@12.5"]) as? Voices)
        #expect(enroll.enroll == "Raka Sandi" && enroll.from == "s@12.5" && enroll.seconds == 10)
        #expect(refusal([]).contains("give one of: SESSION, --enable"))
        #expect(refusal(["--enable", "--disable"]).contains("give one of"))
        #expect(refusal(["--delete", "Ilham"]).contains("--delete goes with --library"))
        #expect(refusal(["--enroll", "Ilham"]).contains("--enroll needs --from"))
        #expect(refusal(["--enroll", "Ilham", "--from", "x.wav", "--seconds", "300"]).contains("--seconds must be between 2 and 60"))
    }
}
