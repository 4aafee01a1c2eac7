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
    private static let confix = ConfixStemmer(roots: .shared)

    public init() {}

    /// Identifies the tokens this analyzer produces: it changes whenever they would (the rules'
    /// revision, the root list loaded, Siaran's lexicon), so a catalog built with another analyzer
    /// knows to rebuild itself. "…; roots: no dictionary" when the root list file is missing.
    /// ("entries 2": which rows `IndexedSession.entries` makes changed: untagged agenda items.)
    public static let version: String = {
        let roots = RootWords.shared
        let list = roots.path == nil ? "no dictionary"
            : "\(roots.fileEntryCount) words \(String(roots.fingerprint, radix: 16))"
        return "words 2, entries 2, numbers 1, confix 1, snowball 1, lexicon \(String(IndonesianLexicon.fingerprint, radix: 16)); roots: \(list)"
    }()

    /// The root list the stemmer checks words against, for a command to show or warn about:
    /// "31090 words from /usr/share/hunspell/id_ID.dic" or "no dictionary".
    public static var rootListDescription: String { RootWords.shared.description }

    /// Whether a root-word file was loaded; without one, stems come from Siaran's small lexicon and
    /// the Snowball stemmer, and many families no longer meet (install `hunspell-id`: `Scripts/setup`).
    public static var hasRootList: Bool { RootWords.shared.path != nil }

    /// The tokens of `text`, in order.
    /// Numbers said in words are also indexed as their value ("dua ribu dua puluh empat" → 2024).
    public func tokens(_ text: String) -> [Token] {
        let words = words(text)
        var tokens = words.map { Token(exact: $0, stem: stem($0)) }
        if words.contains(where: NumberWords.isNumberWord) {
            tokens += NumberWords.values(in: words).map { Token(exact: $0, stem: $0) }
        }
        return tokens
    }

    /// The folded words of `text`, in order: letters and digits, with Indonesian writing folded so
    /// that a word has one form (`WordScanner`: "Jum'at" → jumat, "1.000.000" → 1000000,
    /// "70%" → 70 persen).
    public func words(_ text: String) -> [String] {
        WordScanner.words(TextFolding.fold(text))
    }

    /// The stem of one folded word (words with digits are kept as they are): its dictionary root
    /// (`ConfixStemmer`), else the Snowball stem (`IndonesianStemmer`).
    public func stem(_ word: String) -> String {
        var ascii = true
        var letters = true
        for byte in word.utf8 {
            if byte >= 0x30 && byte <= 0x39 { return word }
            if byte >= 0x80 { ascii = false }
            if byte < 0x61 || byte > 0x7A { letters = false }
        }
        if !ascii && word.unicodeScalars.contains(where: { $0.properties.numericType != nil }) { return word }
        if letters, let root = Self.confix.root(of: Array(word.utf8)) {
            return String(decoding: root, as: UTF8.self)
        }
        return stemmer.stem(word)
    }
}
