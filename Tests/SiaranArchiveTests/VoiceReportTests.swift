import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// The report and the news post use who spoke all told: the officer's tags, and the voices'
/// suggestions where no tag stands (their time marked as unconfirmed).
@Suite("Voice suggestions in the report and the news post")
struct VoiceReportTests {
    /// The seed's briefing (tags: Robby 0, Ilham 60, Raka Sandi 300) with a voice run: Raka's voice
    /// 300-400 and 460-600, Anisha's (from the library) 400-460.
    static func briefing() throws -> (Archive, String) {
        let (archive, id) = try NewsPostTests.briefing()
        let raka = "I Dewa Kade Wiarsa Raka Sandi"
        try EventLog(path: archive.eventsPath(of: id)).append(contentsOf: [
            SessionEvent(id: "r1-1", kind: .voice, media: 300, value: raka, author: Tagger.voicesAuthor, until: 400, voice: 1, basis: "tag", run: "r1"),
            SessionEvent(id: "r1-2", kind: .voice, media: 400, value: "Anisha Dasuki", author: Tagger.voicesAuthor, until: 460, voice: 2,
                         similarity: 0.84, basis: "library", run: "r1"),
            SessionEvent(id: "r1-3", kind: .voice, media: 460, value: raka, author: Tagger.voicesAuthor, until: 600, voice: 1, basis: "tag", run: "r1"),
        ])
        return (archive, id)
    }

    @Test("the report's speaking time counts suggested turns and says how much is unconfirmed")
    func report() throws {
        let (archive, id) = try Self.briefing()
        let details = try SessionDetails(archive: archive, id: id)
        let markdown = SessionReport.markdown(details)
        let lines = markdown.split(separator: "\n")
        let anisha = try #require(lines.first { $0.hasPrefix("| Anisha Dasuki |") })
        #expect(anisha.contains("\(Format.clock(60)) (\(Format.clock(60)) menurut suara, belum dikonfirmasi)"), "\(anisha)")
        let raka = try #require(lines.first { $0.hasPrefix("| I Dewa Kade Wiarsa Raka Sandi |") })
        #expect(raka.contains("\(Format.clock(240)) (\(Format.clock(140)) menurut suara"), "\(raka)")
        let ilham = try #require(lines.first { $0.hasPrefix("| Ilham Saputra |") })
        #expect(!ilham.contains("menurut suara"))
        #expect(SessionReport.html(details, language: .english).contains("suggested from the voices, unconfirmed"))
    }

    @Test("a quote starred without a speaker is attributed to who spoke then; the one the voices suggest counts as taking the floor")
    func newsPost() throws {
        let (archive, id) = try Self.briefing()
        var post = NewsPost()
        post.quotes = [NewsPostTests.quote("q1", 420, "Informasi publik harus dibuka seluas luasnya", nil)]
        let text = NewsPostDraft.text(try SessionDetails(archive: archive, id: id), post: post)
        #expect(text.contains("Anisha Dasuki menyampaikan, “Informasi publik harus dibuka seluas luasnya.”"), "\(text)")
        #expect(text.contains("Hadir sebagai pemateri") && text.contains("Anisha Dasuki selaku"), "\(text)")
    }
}
