import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

@Suite("Quotes follow the transcript's corrections")
struct QuoteCorrectionTests {
    @Test("a quote starred before its line was corrected says the corrected words; a part the correction left alone stays that part")
    func starredBeforeCorrection() throws {
        let archive = Archive(path: TestFolder.make("quote-fix"))
        try archive.prepare()
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        let vtt = "WEBVTT\n\n00:00:10.000 --> 00:00:14.000\nNaftar pemilih sudah diumumkan di setiap desa.\n\n"
            + "00:00:20.000 --> 00:00:24.000\nLogistik pemilu tiba besok.\n"
        try vtt.write(toFile: archive.machineTranscriptPath(of: id), atomically: true, encoding: .utf8)
        let store = NewsPostStore(archive: archive)
        try store.update(id, by: "web:tono") { post in
            post.quotes = [
                NewsPost.Quote(id: "q1", at: 10, end: 14, text: "Naftar pemilih sudah diumumkan di setiap desa.", speaker: "Ilham", machine: true, starredBy: "web:tono"),
                NewsPost.Quote(id: "q2", at: 10, end: 14, text: "diumumkan di setiap desa", speaker: "Ilham", machine: true, starredBy: "web:tono"),
                NewsPost.Quote(id: "q3", at: 20, end: 24, text: "Logistik pemilu tiba besok.", speaker: "Evi", machine: true, starredBy: "web:tono"),
            ]
        }
        #expect(try store.load(id).quotes.map(\.text)[0].hasPrefix("Naftar"), "no correction yet: the machine's words")

        _ = try CorrectedTranscript.correct(TranscriptCorrection(action: .edit, file: Archive.machineTranscriptName, at: 10,
                                                                 text: "Daftar pemilih tetap sudah diumumkan di setiap desa."),
                                            archive: archive, id: id)
        let quotes = try store.load(id).quotes
        #expect(quotes[0].text == "Daftar pemilih tetap sudah diumumkan di setiap desa." && !quotes[0].machine)
        #expect(quotes[1].text == "diumumkan di setiap desa" && !quotes[1].machine, "the part the officer chose is kept")
        #expect(quotes[2].text == "Logistik pemilu tiba besok." && quotes[2].machine, "an uncorrected line's quote is untouched")
        // The draft of the post quotes the corrected words.
        let draft = NewsPostDraft.quoteText(quotes[0])
        #expect(draft.contains("Daftar pemilih tetap") && !draft.contains("Naftar"))
        // A caller that has read the corrected transcript hands it over, and the captions are not read again:
        // with the file gone, those lines still correct the quote; without them, nothing does.
        let transcript = CorrectedTranscript.lines(archive: archive, id: id)
        #expect(unlink(archive.machineTranscriptPath(of: id)) == 0)
        #expect(try store.load(id, transcript: transcript).quotes.map(\.text) == quotes.map(\.text))
        #expect(try store.load(id).quotes[0].text.hasPrefix("Naftar"))
    }
}
