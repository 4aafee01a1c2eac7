import Foundation
import SiaranArchive
import Testing

@Suite("Agenda files that try to hurt")
struct AgendaLimitsTests {
    func failure(_ text: String) -> String {
        do { _ = try AgendaFile.parse(text, file: "a.yaml"); return "accepted" } catch { return "\(error)" }
    }

    @Test("an alias bomb is refused at once, with the line of the first alias")
    func aliasBomb() {
        var text = "title: Bom\na: &a [x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<12 { text += "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "*a" : "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n" }
        let started = Date()
        let message = failure(text)
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(message.hasPrefix("a.yaml:3:") && message.contains("aliases"), "\(message)")
    }

    @Test("a star inside quotes or a comment is not an alias")
    func starsThatAreText() {
        #expect(failure("title: \"Rapat *penting*\"\n# catatan *a\ndescription: 'x *y'\n") == "accepted")
    }

    @Test("a file larger than an agenda can be is refused")
    func tooLarge() {
        let message = failure("title: x\ndescription: " + String(repeating: "panjang ", count: 40_000) + "\n")
        #expect(message.contains("at most 256 KB"), "\(message)")
    }

    @Test("a syntax error points where the construct began (an unclosed [ on line 2)")
    func syntaxErrorStart() {
        let message = failure("title: Rapat\nspeakers: [Ilham,\n  Anisha\nagenda:\n  - title: x\n")
        #expect(message.hasPrefix("a.yaml:2:"), "\(message)")
    }
}
