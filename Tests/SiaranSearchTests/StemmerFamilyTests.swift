import Foundation
@testable import SiaranSearch
import Testing

/// The stemmer measured on word families (`Data/word-families.txt`): a query for any form of a word
/// finds rows holding any other form exactly when all the forms share one stem, and finds nothing
/// else when no other family has that stem.
@Suite("Indonesian word families")
struct StemmerFamilyTests {
    /// The evaluation set, read from the data file.
    struct EvaluationSet {
        var families: [(root: String, forms: [String])] = []
        var keep: [String] = []
        var apart: [(String, String)] = []

        static let shared: EvaluationSet = {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Data/word-families.txt")
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            var data = EvaluationSet()
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let head = String(line[..<colon])
                let words = line[line.index(after: colon)...].split(separator: " ").map(String.init)
                switch head {
                case "keep": data.keep += words
                case "apart": if words.count == 2 { data.apart.append((words[0], words[1])) }
                default: data.families.append((head, [head] + words))
                }
            }
            return data
        }()
    }

    /// The measures of one stemming function over the evaluation set.
    struct Measures {
        var forms = 0
        var agreeing = 0
        var failing: [String] = []
        var sharedStems: [String] = []
        var merges: [String] = []
        var cut: [String] = []
        var agreement: Double { Double(agreeing) / Double(max(forms, 1)) }
        var precision = 0.0

        init(_ data: EvaluationSet, stem: (String) -> String) {
            var families: [String: [String]] = [:]
            for (root, forms) in data.families {
                let familyStem = stem(root)
                families[familyStem, default: []].append(root)
                for form in forms {
                    self.forms += 1
                    let got = stem(form)
                    if got == familyStem { agreeing += 1 } else { failing.append("\(form)→\(got) (\(root)→\(familyStem))") }
                }
            }
            let alone = families.values.filter { $0.count == 1 }.count
            precision = Double(alone) / Double(max(data.families.count, 1))
            sharedStems = families.filter { $0.value.count > 1 }.map { "\($0.key): \($0.value.joined(separator: ", "))" }.sorted()
            merges = data.apart.filter { stem($0.0) == stem($0.1) }.map { "\($0.0)/\($0.1)→\(stem($0.0))" }
            cut = data.keep.filter { stem($0) != $0 }.map { "\($0)→\(stem($0))" }
        }

        var summary: String {
            String(format: "%d forms, %.1f%% in whole-family agreement, precision %.1f%%, %d wrong merges, %d roots cut",
                   forms, agreement * 100, precision * 100, merges.count, cut.count)
        }
    }

    @Test("the evaluation set is large enough: ≥ 100 families, ≥ 500 inflected forms")
    func size() {
        let data = EvaluationSet.shared
        #expect(data.families.count >= 100)
        #expect(data.families.reduce(0) { $0 + $1.forms.count - 1 } >= 500)
        #expect(data.apart.count >= 6 && data.keep.count >= 10)
    }

    @Test("≥ 95% of forms share their family's stem, precision ≥ 99%, no wrong merge, no root cut")
    func families() throws {
        try #require(TextAnalyzer.hasRootList, "no root list (\(TextAnalyzer.rootListDescription)): install hunspell-id with Scripts/setup")
        let analyzer = TextAnalyzer()
        let measures = Measures(EvaluationSet.shared, stem: analyzer.stem)
        let snowball = Measures(EvaluationSet.shared, stem: IndonesianStemmer().stem)
        print("word families, dictionary stemmer: \(measures.summary)")
        print("word families, Snowball alone:    \(snowball.summary)")
        if !measures.failing.isEmpty { print("disagreeing forms: \(measures.failing.joined(separator: "; "))") }
        #expect(measures.agreement >= 0.95, "\(measures.summary); disagreeing forms: \(measures.failing.joined(separator: "; "))")
        #expect(measures.precision >= 0.99, "families sharing a stem: \(measures.sharedStems.joined(separator: "; "))")
        #expect(measures.merges.isEmpty, "wrong merges: \(measures.merges.joined(separator: "; "))")
        #expect(measures.cut.isEmpty, "roots cut: \(measures.cut.joined(separator: "; "))")
    }

    @Test("without a dictionary, Siaran's lexicon and the Snowball stemmer still stem")
    func withoutDictionary() {
        let roots = RootWords(path: "/nonexistent/id_ID.dic")
        #expect(roots.path == nil && roots.description == "no dictionary" && roots.fileEntryCount == 0)
        let stemmer = ConfixStemmer(roots: roots)
        #expect(stemmer.root(of: Array("pemilunya".utf8)).map { String(decoding: $0, as: UTF8.self) } == "pemilu")
        #expect(stemmer.root(of: Array("hoax".utf8)).map { String(decoding: $0, as: UTF8.self) } == "hoaks")
        #expect(stemmer.root(of: Array("didistribusikan".utf8)) == nil)
    }

    @Test("dictionary entries that stripping reduces to another entry (a report, for the lexicon)")
    func derivedEntries() throws {
        guard ProcessInfo.processInfo.environment["SIARAN_LIST_DERIVED_ENTRIES"] != nil,
              let text = try? String(contentsOfFile: RootWords.defaultPath, encoding: .isoLatin1) else { return }
        let stemmer = ConfixStemmer(roots: .shared)
        var derived: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let word = line.split(separator: "/").first.map { $0.lowercased() } ?? ""
            guard word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { continue }
            if let root = stemmer.strippedRoot(of: Array(word.utf8)) { derived.append("\(word)→\(String(decoding: root, as: UTF8.self))") }
        }
        print("\(derived.count) derived-looking entries:\n" + derived.joined(separator: " "))
    }
}
