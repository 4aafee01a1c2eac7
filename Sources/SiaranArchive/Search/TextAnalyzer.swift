import Foundation
import SiaranCore

/// Turns text into the tokens the search index stores: Unicode NFC, case and diacritics folded,
/// split into words (letters and digits), each kept in its exact folded form and as its Indonesian stem.
public struct TextAnalyzer: Sendable {
    /// One word of the text.
    public struct Token: Sendable, Equatable {
        /// The folded word as written ("mensosialisasikan").
        public var exact: String
        /// Its stem ("sosialisasi").
        public var stem: String
    }

    private let stemmer = IndonesianStemmer()

    public init() {}

    /// The tokens of `text`, in order.
    public func tokens(_ text: String) -> [Token] {
        words(text).map { Token(exact: $0, stem: stem($0)) }
    }

    /// The folded words of `text`, in order.
    public func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
        }
        for scalar in TextFolding.fold(text).unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The stem of one folded word (words with digits are kept as they are).
    public func stem(_ word: String) -> String {
        word.unicodeScalars.contains { $0.properties.numericType != nil } ? word : stemmer.stem(word)
    }
}
