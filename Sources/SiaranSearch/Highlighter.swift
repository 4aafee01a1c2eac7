/// Marks the words of a hit's text that a query matched («word») and cuts a snippet around the first.
/// Built once per search; most caption words are plain ASCII, which it tests byte by byte without
/// making strings, and only words that may stem to a wanted stem are stemmed.
public struct Highlighter: Sendable {
    private let analyzer: TextAnalyzer
    private let exact: Set<String>
    private let stems: Set<String>
    private let prefixes: [String]
    private let exactBytes: [[UInt8]]
    private let prefixBytes: [[UInt8]]
    /// Each wanted stem without its first letter. A stem is a stretch of its word, the first letter
    /// perhaps changed (memilih → pilih), so a word without one of these cannot stem to a wanted stem.
    private let tails: [[UInt8]]

    public init(_ query: SearchQuery, analyzer: TextAnalyzer) {
        var exact: Set<String> = []
        var stems: Set<String> = []
        var prefixes: [String] = []
        for term in query.clauses.joined() {
            switch term {
            case let .word(w): exact.insert(w); stems.insert(analyzer.stem(w))
            case let .phrase(parts): for w in parts { exact.insert(w); stems.insert(analyzer.stem(w)) }
            case let .prefix(p): prefixes.append(p)
            }
        }
        self.analyzer = analyzer
        self.exact = exact
        self.stems = stems
        self.prefixes = prefixes
        exactBytes = exact.map { Array($0.utf8) }
        prefixBytes = prefixes.map { Array($0.utf8) }
        // A folded spelling variant (hoax → hoaks) need not contain its stem: its own letters count.
        let variantTails = IndonesianLexicon.variants.filter { stems.contains(analyzer.stem($0.value)) }.map { Array($0.key.utf8.dropFirst()) }
        tails = stems.map { Array($0.utf8.dropFirst()) } + variantTails
    }

    /// Longest snippet, in characters, before words are dropped from its ends.
    static let snippetLength = 180

    /// Up to ~`snippetLength` characters of `text` around the first match, matched words in «».
    public func snippet(_ text: String) -> String {
        // Words are the byte ranges between spaces; plain-ASCII words (most caption words) are
        // tested byte by byte, others through the analyzer.
        let bytes = Array(text.utf8)
        var words: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x20 {
            if index > start { words.append(start..<index) }
            start = index + 1
        }
        if bytes.count > start { words.append(start..<bytes.count) }
        // Plain ASCII words are tested byte by byte; others, and words the analyzer joins or rewrites
        // (Jum'at, 1.000, 70%), through the analyzer.
        let ascii = words.map { range in bytes[range].allSatisfy { $0 < 0x80 && $0 != 0x27 && $0 != 0x2E && $0 != 0x25 && $0 != 0x2C } }
        var run: [UInt8] = []
        run.reserveCapacity(32)
        let hits = words.indices.map { index in
            ascii[index] ? matches(bytes[words[index]], run: &run) : matchesUnicode(String(decoding: bytes[words[index]], as: UTF8.self))
        }
        let shown = Self.window(hits: hits) { index in
            ascii[index] ? words[index].count : String(decoding: bytes[words[index]], as: UTF8.self).count
        }
        var out: [UInt8] = []
        out.reserveCapacity(Self.snippetLength + 16)
        if shown.lowerBound > 0 { out += "… ".utf8 }
        for index in shown {
            if index > shown.lowerBound { out.append(0x20) }
            let word = bytes[words[index]]
            guard hits[index] else { out += word; continue }
            // Punctuation around the word stays outside the marks: «hoaks», not «hoaks,».
            let lead = word.prefix { Self.isASCIIPunctuation($0) }.count
            let trail = word.count == lead ? 0 : word.reversed().prefix { Self.isASCIIPunctuation($0) }.count
            out += word.prefix(lead)
            out += "«".utf8
            out += word.dropFirst(lead).dropLast(trail)
            out += "»".utf8
            out += word.suffix(trail)
        }
        if shown.upperBound < words.count { out += " …".utf8 }
        return String(decoding: out, as: UTF8.self)
    }

    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        byte < 0x80 && !((byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39))
    }

    /// The words a snippet shows: from 8 before the first hit to 16 after it, dropping words from
    /// the longer side while the whole is longer than `snippetLength` characters.
    static func window(hits: [Bool], length: (Int) -> Int) -> Range<Int> {
        let center = hits.firstIndex(of: true) ?? 0
        var from = max(0, center - 8)
        var to = min(hits.count, center + 16)
        func shown(_ index: Int) -> Int { length(index) + (hits[index] ? 2 : 0) }
        var total = (from..<to).reduce(max(0, to - from - 1)) { $0 + shown($1) }
        while to - from > 1, total > snippetLength {
            if center - from > to - center { total -= shown(from) + 1; from += 1 } else { to -= 1; total -= shown(to) + 1 }
        }
        return from..<to
    }

    /// Whether any folded word within `word` (ASCII text between spaces) is wanted: its exact form,
    /// a prefix, or its stem. `run` is scratch space.
    func matches(_ word: ArraySlice<UInt8>, run: inout [UInt8]) -> Bool {
        run.removeAll(keepingCapacity: true)
        for byte in word {
            if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                run.append(byte)
            } else if byte >= 0x41 && byte <= 0x5A {
                run.append(byte + 0x20)
            } else if !run.isEmpty {
                if wanted(run) { return true }
                run.removeAll(keepingCapacity: true)
            }
        }
        return !run.isEmpty && wanted(run)
    }

    /// The test for one folded ASCII word.
    private func wanted(_ w: [UInt8]) -> Bool {
        if exactBytes.contains(where: { $0 == w }) { return true }
        if prefixBytes.contains(where: { w.starts(with: $0) }) { return true }
        return mayStemToWanted(w) && stems.contains(analyzer.stem(String(decoding: w, as: UTF8.self)))
    }

    private func mayStemToWanted(_ w: [UInt8]) -> Bool {
        tails.contains { tail in
            tail.count <= w.count && (0...(w.count - tail.count)).contains { start in
                tail.indices.allSatisfy { w[start + $0] == tail[$0] }
            }
        }
    }

    /// The same test through the analyzer, for words with letters beyond ASCII.
    private func matchesUnicode(_ word: String) -> Bool {
        analyzer.words(word).contains { w in
            exact.contains(w) || prefixes.contains { w.hasPrefix($0) }
                || mayStemToWanted(Array(w.utf8)) && stems.contains(analyzer.stem(w))
        }
    }
}
