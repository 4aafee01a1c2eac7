import Foundation
import SiaranSearch
import Testing

@Suite("Indonesian stemmer")
struct StemmerTests {
    static let data: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/data/snowball-indonesian").path
    }()

    @Test("agrees with the Snowball reference on all 64,586 words")
    func reference() throws {
        let words = try String(contentsOfFile: Self.data + "/voc.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let stems = try String(contentsOfFile: Self.data + "/output.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try #require(words.count == stems.count && words.count >= 64_586)
        let stemmer = IndonesianStemmer()
        var disagreements: [String] = []
        for (word, expected) in zip(words, stems) where !word.isEmpty {
            let got = stemmer.stem(String(word))
            if got != expected { disagreements.append("\(word): \(got) ≠ \(expected)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, e.g. \(disagreements.prefix(20))")
    }

    @Test("morphological variants share a stem", arguments: [
        ("mensosialisasikan", "sosialisasi"), ("sosialisasi", "sosialisasi"), ("pemilih", "pilih"), ("memilih", "pilih"),
    ])
    func variants(word: String, stem: String) {
        #expect(IndonesianStemmer().stem(word) == stem)
    }
}
