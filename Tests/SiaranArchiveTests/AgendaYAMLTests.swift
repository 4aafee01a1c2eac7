import Foundation
@testable import SiaranArchive
import Testing

@Suite("The agenda editor's model and the YAML file")
struct AgendaYAMLTests {
    @Test("YAML → editor model (JSON) → YAML reads back to the same agenda, for the example file")
    func roundTrip() throws {
        let original = try AgendaFile.load(path: AgendaTests.example)
        #expect(original.speakers.count >= 3 && !original.agenda.isEmpty && !original.participants.isEmpty)
        // The page edits the agenda as JSON and sends it back.
        let edited = try JSONDecoder().decode(Agenda.self, from: try JSONEncoder().encode(original))
        let yaml = try AgendaFile.yaml(edited)
        #expect(try AgendaFile.parse(yaml, file: "exported.yaml") == original)
        #expect(yaml.hasPrefix("title: \"Sosialisasi Juknis Bakohumas") && yaml.contains("\nspeakers:\n") && yaml.contains("\nagenda:\n"),
                "the file's own layout: \(yaml.prefix(400))")
    }

    @Test("texts YAML would read as something else come back as written; an empty agenda is an empty file")
    func awkwardTexts() throws {
        let agenda = Agenda(title: "null", organiser: "yes", date: "2024-02-05", description: "Baris satu\nbaris dua: # bukan komentar",
                            speakers: [Person(name: "No", role: "~", organisation: "KPU: Jakarta", aliases: ["*alias", "10:00"])],
                            participants: [Person(name: "'kutip' \"ganda\"")],
                            agenda: [AgendaItem(title: "- pembukaan", speakers: ["No"], plannedStart: "10:00")])
        #expect(try AgendaFile.parse(try AgendaFile.yaml(agenda), file: "x") == agenda)
        #expect(try AgendaFile.yaml(Agenda()) == "{}\n")
        #expect(try AgendaFile.parse(try AgendaFile.yaml(Agenda()), file: "x") == Agenda())
    }
}
