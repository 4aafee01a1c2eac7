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
        let folded = TextFolding.fold(text)
        var words: [String] = []
        if folded.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: split on anything that is not a letter or a digit, without Unicode tables.
            var current: [UInt8] = []
            for byte in folded.utf8 {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    current.append(byte)
                } else if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            return words
        }
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            // U+02E2 and U+02E3 mark stems and context in the index: never part of a word.
            if (scalar.properties.isAlphabetic || scalar.properties.numericType != nil) && scalar.value != 0x2E2 && scalar.value != 0x2E3 {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// The stem of one folded word (words with digits are kept as they are).
    public func stem(_ word: String) -> String {
        var ascii = true
        for byte in word.utf8 {
            if byte >= 0x30 && byte <= 0x39 { return word }
            if byte >= 0x80 { ascii = false }
        }
        if !ascii && word.unicodeScalars.contains(where: { $0.properties.numericType != nil }) { return word }
        return stemmer.stem(word)
    }
}
