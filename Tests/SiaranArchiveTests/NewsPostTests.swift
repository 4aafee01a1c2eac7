import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

@Suite("The news post: draft, store, export")
struct NewsPostTests {
    /// The seed's briefing: the example agenda, speaker turns as the officer tagged them, topics.
    static func briefing() throws -> (Archive, String) {
        let archive = Archive(path: TestFolder.make("post"))
        try archive.prepare()
        let start = ISO8601.parse("2021-09-15T02:00:00.000Z")!
        let id = try archive.createSessionDirectory(title: "Bakohumas", date: start)
        var m = SessionManifest(id: id, title: "Bakohumas", kind: .live, source: "rtmp://x/live/KEY", createdAt: start,
                                segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.startedAt = start
        m.segments = (0..<100).map { SegmentRecord(sequence: $0, file: String(format: "%06d.ts", $0), mediaStart: Double($0) * 6, duration: 6,
                                                   wallClockStart: start.addingTimeInterval(Double($0) * 6), bytes: 1000, discontinuity: false) }
        try archive.saveManifest(m)
        try archive.saveAgenda(try AgendaFile.load(path: AgendaTests.example), of: id)
        let tagger = Tagger(archive: archive)
        for (kind, value, at) in [(SessionEvent.Kind.speaker, "Robby", 0.0), (.agenda, "1", 0), (.speaker, "Pak Ilham", 60), (.agenda, "2", 60),
                                  (.speaker, "Raka Sandi", 300), (.agenda, "3", 300), (.topic, "hoaks", 320), (.topic, "pemilu 2024", 400)] {
            _ = try tagger.tag(session: id, kind: kind, value: value, at: at)
        }
        return (archive, id)
    }

    static func quote(_ id: String, _ at: Double, _ text: String, _ speaker: String?) -> NewsPost.Quote {
        NewsPost.Quote(id: id, at: at, end: at + 4, text: text, speaker: speaker, machine: false, starredBy: "web:tono")
    }

    @Test("the draft says who held it, when and where, who took part, who opened it, who spoke, the quotes and the topics")
    func draft() throws {
        let (archive, id) = try Self.briefing()
        var post = NewsPost()
        post.quotes = [Self.quote("q2", 320, "Kehumasan harus memfilter informasi hoaks", "I Dewa Kade Wiarsa Raka Sandi"),
                       Self.quote("q1", 70, "Bakohumas di semua aras dilaksanakan dengan aktif dan responsibel", "Ilham Saputra"),
                       Self.quote("q3", 330, "Berikan informasi yang up to date.", "I Dewa Kade Wiarsa Raka Sandi")]
        let text = NewsPostDraft.text(try SessionDetails(archive: archive, id: id), post: post)
        let paragraphs = text.components(separatedBy: "\n\n")
        #expect(paragraphs[0] == "# KPU RI MENGGELAR SOSIALISASI JUKNIS BAKOHUMAS KPU, KPU PROVINSI DAN KPU KAB/KOTA")
        #expect(paragraphs[1].hasPrefix("Lolak - Pada Rabu (15/9), KPU RI menggelar “Sosialisasi Juknis Bakohumas KPU, KPU Provinsi dan KPU Kab/Kota”. Sosialisasi petunjuk teknis"))
        #expect(paragraphs[2].hasPrefix("Kegiatan ini diikuti oleh Hasrul Dumambow selaku Ketua Divisi Sosialisasi"))
        #expect(paragraphs[2].contains(", serta Evie Jane Indria selaku Kasubag Hukum KPU Kabupaten Bolaang Mongondow."))
        #expect(paragraphs[3] == "Dalam sambutannya saat membuka kegiatan ini, Ketua KPU RI, Ilham Saputra, menyampaikan, “Bakohumas di semua aras dilaksanakan dengan aktif dan responsibel.”")
        // Only who took the floor is a presenter; the moderator is named as such.
        #expect(paragraphs[4].hasPrefix("Hadir sebagai pemateri I Dewa Kade Wiarsa Raka Sandi selaku Anggota KPU RI"))
        #expect(!paragraphs[4].contains("Anisha"))
        #expect(paragraphs[4].hasSuffix(", bersama Robby Leo Agust selaku moderator."))
        let item = try #require(AgendaFile.load(path: AgendaTests.example).agenda[2].title)
        #expect(paragraphs[5] == "Pada sesi \(item), I Dewa Kade Wiarsa Raka Sandi menyampaikan, “Kehumasan harus memfilter informasi hoaks.”",
                "the agenda item running at the quote is named")
        #expect(paragraphs[6] == "“Berikan informasi yang up to date,” lanjut Dewa.")
        // Topics keep the capitals the agenda gives them as names ("menjelang Pemilu dan Pemilihan 2024").
        #expect(paragraphs[7] == "Topik yang dibahas antara lain hoaks serta Pemilu 2024.\n")
    }

    @Test("with no agenda and no tags the draft still reads, from the title and start")
    func bareDraft() throws {
        let archive = Archive(path: TestFolder.make("post-bare"))
        try archive.prepare()
        let start = ISO8601.parse("2024-02-05T03:00:00.000Z")!
        let id = try archive.createSessionDirectory(title: "Rapat koordinasi", date: start)
        var m = SessionManifest(id: id, title: "Rapat <koordinasi>\n# x", kind: .imported, source: "/tmp/x.mp4", createdAt: start, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = start
        try archive.saveManifest(m)
        var post = NewsPost()
        post.quotes = [Self.quote("q1", 5, "Terima kasih", nil)]
        let text = NewsPostDraft.text(try SessionDetails(archive: archive, id: id), post: post)
        #expect(text == "# RAPAT <KOORDINASI> # X\n\nPada Senin (5/2), telah digelar “Rapat <koordinasi> # x”.\n\nDisampaikan pula, “Terima kasih.”\n")
    }

    @Test("exports neutralise markup from the stream and carry the photo; the HTML is one file")
    func exports() throws {
        let text = "# Judul <b>x</b>\n\nParagraf satu\nberlanjut.\n\n[klik](javascript:alert(1)) <script>alert(1)</script>\n\n1. bukan daftar\n"
        let md = NewsPostExport.markdown(text, photo: "post-photo.jpg", photoCaption: "Ilham Saputra dalam Rapat")
        #expect(md.hasPrefix("# Judul &lt;b&gt;x&lt;/b&gt;\n\n![Ilham Saputra dalam Rapat](post-photo.jpg)\n\n*Ilham Saputra dalam Rapat*\n\nParagraf satu berlanjut.\n\n"))
        #expect(md.contains("\\[klik\\](javascript:alert(1)) &lt;script&gt;"))
        #expect(md.contains("\n\n1\\. bukan daftar\n"))  // a backslash before a digit is no escape in CommonMark: it goes after it
        #expect(NewsPostExport.neutral("2) juga bukan") == "2\\) juga bukan")
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        let html = NewsPostExport.html(text, photo: jpeg, photoCaption: "Foto \"x\"")
        #expect(html.contains("<h1>Judul &lt;b&gt;x&lt;/b&gt;</h1>"))
        #expect(html.contains("src=\"data:image/jpeg;base64,\(jpeg.base64EncodedString())\""))
        #expect(html.contains("<figcaption>Foto &quot;x&quot;</figcaption>"))
        #expect(html.contains("<p>&lt;script&gt;") == false && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script") && !html.contains("src=\"http"))
    }

    @Test("stars from many writers at once are all kept, and a broken post file says what to do")
    func concurrentChanges() async throws {
        let (archive, id) = try Self.briefing()
        let store = NewsPostStore(archive: archive)
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    _ = try? store.update(id, by: "web:t\(i % 4)") { $0.quotes.append(Self.quote("q\(i)", Double(i), "kalimat \(i)", nil)) }
                }
            }
        }
        #expect(try store.load(id).quotes.count == 40)
        try store.update(id, by: "web:tono") { $0.text = "# Judul\n\nTeks." }
        #expect(try store.load(id).editedBy == "web:tono")
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: archive.postPath(of: id)))
        let error = #expect(throws: ArchiveError.self) { try store.load(id) }
        #expect(error.map { "\($0)" }?.contains("move it away to start the post again") == true)
    }

    @Test("a second quote from the same speaker follows on; titles are skipped in the short name; ? and ! stay")
    func followOn() throws {
        #expect(NewsPostDraft.shortName("Dr. Hj. Siti Rahma") == "Siti")
        #expect(NewsPostDraft.shortName("I Dewa Kade Wiarsa Raka Sandi") == "Dewa")
        #expect(NewsPostDraft.shortName("Bapak Ilham Saputra") == "Ilham")
        let (archive, id) = try Self.briefing()
        var post = NewsPost()
        post.quotes = [Self.quote("q1", 300, "Pertama.", "Anisha Dasuki"), Self.quote("q2", 310, "Siapkah kita?", "Anisha Dasuki")]
        let text = NewsPostDraft.text(try SessionDetails(archive: archive, id: id), post: post)
        #expect(text.contains("\n\n“Siapkah kita?” lanjut Anisha.\n"), "\(text)")
    }

    @Test("the plain text export is safe for a terminal")
    func terminalSafe() throws {
        let (archive, id) = try Self.briefing()
        var post = NewsPost()
        post.text = "# Judul\n\nTeks \u{1B}]0;pwned\u{07} biasa.\n"
        let text = NewsPostExport.render(try SessionDetails(archive: archive, id: id), post: post, photo: nil, format: .text)
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}") && text.contains("biasa."))
    }

    @Test("event times: zones by name or offset, and the day they fall on", arguments: [
        ("09:00 WIB", "2021-09-15T02:00:00.000Z"), ("9.30 WITA", "2021-09-15T01:30:00.000Z"), ("08:00 WIT", "2021-09-14T23:00:00.000Z"),
        ("10:15+07:00", "2021-09-15T03:15:00.000Z"), ("23:59 UTC", "2021-09-15T23:59:00.000Z"),
    ])
    func eventTimes(text: String, expected: String) throws {
        let time = try #require(EventTime(text))
        #expect(time.on("2021-09-15").map(ISO8601.format) == expected)
    }

    @Test("event times that are not times are refused", arguments: ["25:00", "9", "09:00 CEST", "09:60", "nine", "09:00+15:00"])
    func badEventTimes(text: String) {
        #expect(EventTime(text) == nil)
    }

    @Test("a day that does not exist is refused, not rolled over", arguments: ["2021-02-30", "2021-13-01", "2021-00-10"])
    func badDays(day: String) {
        #expect(EventTime("09:00 WIB")?.on(day) == nil)
    }
}
