@testable import SiaranSearch
import Testing

@Suite("Snippet highlighting")
struct HighlighterTests {
    func snippet(_ query: String, _ text: String) throws -> String {
        Highlighter(try SearchQuery(query), analyzer: TextAnalyzer()).snippet(text)
    }

    @Test("exact forms, stems, prefixes and phrase words are marked, punctuation and case kept")
    func marks() throws {
        #expect(try snippet("pemilih", "Para Pemilih, yang memilih hari ini.") == "Para «Pemilih», yang «memilih» hari ini.")
        #expect(try snippet("inform*", "Informasi dan informatika, bukan reformasi") == "«Informasi» dan «informatika», bukan reformasi")
        #expect(try snippet("\"pemangku kepentingan\"", "para pemangku-kepentingan hadir")
            == "para «pemangku-kepentingan» hadir")
        #expect(try snippet("sosialisasi", "kami mensosialisasikan aturan") == "kami «mensosialisasikan» aturan")
        // A word that holds the stem's letters but does not stem to it stays plain.
        #expect(try snippet("pilih", "kami kilih pilihan pemilih") == "kami kilih «pilihan» «pemilih»")
        // Folded spellings, apostrophes and numbers as the analyzer reads them.
        #expect(try snippet("hoaks", "Berita hoax dan hoaks.") == "Berita «hoax» dan «hoaks».")
        #expect(try snippet("jumat", "Hari Jum'at pagi") == "Hari «Jum'at» pagi")
        #expect(try snippet("1000", "Sebanyak 1.000 TPS") == "Sebanyak «1.000» TPS")
    }

    @Test("text beyond ASCII takes the Unicode path and marks the same words")
    func unicode() throws {
        #expect(try snippet("pemilu", "Pemilú 2024 — «sah» dan PEMILU") == "«Pemilú» 2024 — «sah» dan «PEMILU»")
        #expect(try snippet("sah", "Pemilú 2024 sah") == "Pemilú 2024 «sah»")
    }

    @Test("long text is cut around the first hit, with ellipses, in at most about 180 characters")
    func window() throws {
        let words = (0..<100).map { "kata\($0)" }
        var text = words
        text[60] = "pemilu"
        let cut = try snippet("pemilu", text.joined(separator: " "))
        #expect(cut.hasPrefix("… kata52 "))
        #expect(cut.hasSuffix(" kata75 …"))
        #expect(cut.contains("«pemilu»"))
        #expect(cut.count <= Highlighter.snippetLength + 4)
        // No hit: the start of the text.
        #expect(try snippet("tidakada", text.joined(separator: " ")).hasPrefix("kata0 kata1 "))
        #expect(try snippet("pemilu", "") == "")
    }
}
