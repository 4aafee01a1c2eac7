import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing

@Suite("The officer's exports: WhatsApp text and the Word document's content")
struct OfficerExportTests {
    @Test("copy for WhatsApp: the headline in *bold*, plain paragraphs with the quotes, the session's link last")
    func whatsapp() throws {
        let (archive, id) = try NewsPostTests.briefing()
        var post = NewsPost()
        post.quotes = [NewsPostTests.quote("q1", 70, "Bakohumas di semua aras dilaksanakan dengan aktif dan responsibel", "Ilham Saputra")]
        let details = try SessionDetails(archive: archive, id: id)
        let text = NewsPostExport.whatsapp(details, post: post, link: "https://siaran.example.go.id/sessions/\(id)")
        let parts = text.components(separatedBy: "\n\n")
        #expect(parts.first == "*KPU RI MENGGELAR SOSIALISASI JUKNIS BAKOHUMAS KPU, KPU PROVINSI DAN KPU KAB/KOTA*")
        #expect(text.contains("Ilham Saputra, menyampaikan, “Bakohumas di semua aras dilaksanakan dengan aktif dan responsibel.”"))
        #expect(parts.last == "https://siaran.example.go.id/sessions/\(id)\n")
        // No Markdown escapes a phone would show, no heading mark.
        #expect(!text.contains("\\") && !text.contains("# "))

        // An edited post: a `*` in the headline cannot end the bold early; line breaks inside a paragraph join.
        post.text = "# Rapat *penting*\n\nBaris satu\nberlanjut.\u{07}\n"
        #expect(NewsPostExport.whatsapp(details, post: post, link: "http://x/sessions/\(id)") == "*Rapat penting*\n\nBaris satu berlanjut.\u{FFFD}\n\nhttp://x/sessions/\(id)\n",
                "a control character is shown as � (as in the other exports), never passed on")
    }

    @Test("the Word document holds the post's headline, photo and paragraphs, and the report's speakers and agenda as tables")
    func wordDocument() throws {
        let (archive, id) = try NewsPostTests.briefing()
        var post = NewsPost()
        post.quotes = [NewsPostTests.quote("q1", 320, "Kehumasan harus memfilter informasi hoaks", "I Dewa Kade Wiarsa Raka Sandi")]
        post.photo = NewsPost.Photo(at: 70, pickedBy: "web:tono")
        let details = try SessionDetails(archive: archive, id: id)
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0])
        let document = WordDocument.post(details, post: post, photo: jpeg)
        #expect(document.blocks.first == .heading(level: 1, "KPU RI MENGGELAR SOSIALISASI JUKNIS BAKOHUMAS KPU, KPU PROVINSI DAN KPU KAB/KOTA"))
        #expect(document.blocks.dropFirst().first == .image(jpeg, caption: "Ilham Saputra dalam Sosialisasi Juknis Bakohumas KPU, KPU Provinsi dan KPU Kab/Kota"))
        let json = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        #expect(json.contains("Kehumasan harus memfilter informasi hoaks") && json.contains(#""kind":"paragraph""#))

        let report = WordDocument.report(details)
        guard case let .table(header, rows)? = report.blocks.first(where: { if case .table = $0 { true } else { false } }) else {
            Issue.record("the report has no table: \(report.blocks)"); return
        }
        #expect(header == ["Pembicara", "Jabatan", "Lama berbicara"])
        #expect(rows.map(\.first) == ["I Dewa Kade Wiarsa Raka Sandi", "Ilham Saputra", "Robby Leo Agust"], "\(rows)")
        #expect(report.blocks.contains(.heading(level: 2, "Agenda")) && report.blocks.contains(.heading(level: 2, "Peserta")))
    }
}
