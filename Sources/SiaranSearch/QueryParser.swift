import Foundation

/// Reads a query's text into `SearchQuery` clauses: words, "phrases", prefix*, OR, -exclusions.
struct QueryParser {
    typealias Term = SearchQuery.Term
    typealias ParseError = SearchQuery.ParseError

    private let text: String
    private let analyzer: TextAnalyzer
    private var index: String.Index
    private var clauses: [[Term]] = []
    private var excluded: [Term] = []
    private var pendingOr = false
    private var words = 0

    init(_ text: String, analyzer: TextAnalyzer) {
        self.text = text
        self.analyzer = analyzer
        index = text.startIndex
    }

    static let orMessage = "OR needs a word on each side (e.g. `pemilu OR pilkada`)"

    /// Quotation marks that open or close a phrase: straight, and the curly ones phones and word
    /// processors type (“…”, „…“, ‘…’ are not used: ’ is an apostrophe inside Indonesian words).
    static func isQuote(_ c: Character) -> Bool { c == "\"" || c == "“" || c == "”" || c == "„" || c == "‟" }

    mutating func parse() throws {
        while index < text.endIndex {
            let c = text[index]
            if c.isWhitespace { index = text.index(after: index); continue }
            var negated = false
            if c == "-" {
                negated = true
                index = text.index(after: index)
                guard index < text.endIndex, !text[index].isWhitespace else { continue }
            }
            if index < text.endIndex, Self.isQuote(text[index]) {
                try readPhrase(negated: negated)
            } else {
                try readWord(negated: negated)
            }
        }
    }

    /// A "quoted phrase" (to the next quote, or the end).
    private mutating func readPhrase(negated: Bool) throws {
        let start = text.index(after: index)
        let end = text[start...].firstIndex(where: Self.isQuote) ?? text.endIndex
        let parts = analyzer.words(String(text[start..<end]))
        index = end < text.endIndex ? text.index(after: end) : end
        if parts.count == 1 { try add(.word(parts[0]), negated: negated) }
        else if parts.count > 1 { try add(.phrase(parts), negated: negated) }
    }

    /// A word, a prefix*, or OR.
    private mutating func readWord(negated: Bool) throws {
        let end = text[index...].firstIndex { $0.isWhitespace || Self.isQuote($0) } ?? text.endIndex
        let raw = String(text[index..<end])
        index = end
        // `or` in any case: it is not an Indonesian word, and people type it lower-case on phones.
        if raw.lowercased() == "or" && !negated {
            if clauses.isEmpty { throw ParseError(message: Self.orMessage) }
            pendingOr = true
            return
        }
        let parts = analyzer.words(raw)
        if raw.hasSuffix("*"), parts.count == 1 {
            try add(.prefix(parts[0]), negated: negated)
        } else if parts.count == 1 {
            try add(.word(parts[0]), negated: negated)
        } else if parts.count > 1 {
            // "KPU-RI", "15/9": parts written together are a phrase.
            try add(.phrase(parts), negated: negated)
        }
    }

    private mutating func add(_ term: Term, negated: Bool) throws {
        switch term {
        case let .phrase(parts): words += parts.count
        default: words += 1
        }
        if words > SearchQuery.maximumWords {
            throw ParseError(message: "the query is too long: at most \(SearchQuery.maximumWords) words are searched; shorten it")
        }
        if negated {
            excluded.append(term)
        } else if pendingOr, !clauses.isEmpty {
            clauses[clauses.count - 1].append(term)
        } else {
            clauses.append([term])
        }
        pendingOr = false
    }

    /// The clauses and exclusions, or why the query cannot be searched.
    func finish() throws -> (clauses: [[Term]], excluded: [Term]) {
        if pendingOr { throw ParseError(message: Self.orMessage) }
        if clauses.isEmpty {
            throw ParseError(message: excluded.isEmpty ? "the query has no words to search for"
                                                       : "a query needs at least one word to find, not only -exclusions")
        }
        if clauses.reduce(1, { $0 * $1.count }) > SearchQuery.maximumCombinations {
            throw ParseError(message: "too many OR alternatives: at most \(SearchQuery.maximumCombinations) combinations of them are searched")
        }
        return (clauses, excluded)
    }
}
