import Foundation
@testable import SiaranSearch
import Testing

@Suite("Text analyzer")
struct TextAnalyzerTests {
    @Test("Indonesian writing is folded to one form per word", arguments: [
        ("Sholat Jum'at dan Jum’at", ["sholat", "jumat", "dan", "jumat"]),
        ("anggaran Rp 1.000.000 untuk 1.500 peserta", ["anggaran", "rp", "1000000", "untuk", "1500", "peserta"]),
        ("naik 3,5 persen pukul 10.30", ["naik", "3", "5", "persen", "pukul", "10", "30"]),
        ("70% pemilih, 12 % golput", ["70", "persen", "pemilih", "12", "persen", "golput"]),
        ("kata 'pemilu' dikutip", ["kata", "pemilu", "dikutip"]),
        ("versi 1.0000 dan 12.34", ["versi", "1", "0000", "dan", "12", "34"]),
    ])
    func words(text: String, expected: [String]) {
        #expect(TextAnalyzer().words(text) == expected)
    }

    @Test("stems reach dictionary roots; words with digits stay whole")
    func stems() throws {
        try #require(TextAnalyzer.hasRootList, "install hunspell-id (Scripts/setup)")
        let analyzer = TextAnalyzer()
        #expect(analyzer.tokens("Didistribusikan, mengoordinasikan!").map(\.stem) == ["distribusi", "koordinasi"])
        #expect(analyzer.stem("covid19") == "covid19")
        #expect(analyzer.stem("mensosialisasikan") == "sosialisasi")
    }

    @Test("the version names the root list, so a catalog built with another rebuilds")
    func version() {
        #expect(TextAnalyzer.version.contains(TextAnalyzer.hasRootList ? "\(RootWords.shared.fileEntryCount) words" : "no dictionary"))
        #expect(RootWords(path: "/nonexistent").description == "no dictionary")
    }

    @Test("the root list loads in a few milliseconds")
    func loadTime() throws {
        try #require(FileManager.default.fileExists(atPath: RootWords.defaultPath))
        let clock = ContinuousClock()
        var best = Duration.seconds(1)
        for _ in 0..<5 {
            let elapsed = clock.measure { _ = RootWords(path: RootWords.defaultPath) }
            best = min(best, elapsed)
        }
        print("root list: \(RootWords.shared.description), loaded in \(best) (debug build)")
        #expect(best < .milliseconds(100))
    }
}
