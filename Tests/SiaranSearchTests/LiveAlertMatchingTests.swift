import Foundation
import SiaranArchive
import SiaranSearch
import Testing

/// The pieces that let a live line alert at once and once: the look over a new line's words
/// (`LiveLineFilter`) and the moments a saved search has seen (`SeenMoments`).
@Suite("Alerts: live line filter and seen moments")
struct LiveAlertMatchingTests {
    @Test("a line may match a saved search by a word, its stem, a prefix or an abbreviation spoken letter by letter; other lines do not")
    func filter() {
        let filter = LiveLineFilter(queries: ["sosialisasi", "logis*", "KPU", "\"kotak suara\" -rusak"])
        #expect(filter.mayMatch("Kami mensosialisasikan tahapan pemilu."))
        #expect(filter.mayMatch("Logistiknya tiba besok."))
        #expect(filter.mayMatch("Kata kapeu provinsi tadi pagi."))
        #expect(filter.mayMatch("Suaranya jelas."))
        #expect(!filter.mayMatch("Selamat pagi, bapak dan ibu sekalian."))
        #expect(!LiveLineFilter(queries: []).mayMatch("Sosialisasi."))
    }

    @Test("a moment within 20 s of a seen one is the same; keys of older books (the half minute) still count")
    func moments() {
        var seen = SeenMoments(["/a@2"])
        #expect(seen.contains(office: nil, session: "a", seconds: 75))
        #expect(!seen.contains(office: nil, session: "a", seconds: 95))
        let key = seen.insert(office: "jabar", session: "b", seconds: 58.04)
        #expect(key == "jabar/b#58.0")
        let reread = SeenMoments(["/a@2", key])
        #expect(reread.contains(office: "jabar", session: "b", seconds: 62) && reread.contains(office: "jabar", session: "b", seconds: 40))
        #expect(!reread.contains(office: "jabar", session: "b", seconds: 120) && !reread.contains(office: nil, session: "b", seconds: 58))
    }
}
