import Foundation

/// A search query as people type it: words (all must match), "quoted phrases", prefix*, OR between
/// alternatives, and -exclusions. Parsed by Siaran itself, so no user text ever reaches FTS5 raw.
public struct SearchQuery: Sendable, Equatable {
    /// One thing to find.
    public enum Term: Sendable, Equatable {
        /// A word, folded; matched by its exact form or its stem.
        case word(String)
        /// Words that must appear together, in order.
        case phrase([String])
        /// A word beginning.
        case prefix(String)
    }

    /// Every clause must match; a clause matches when any of its alternatives does (OR).
    public var clauses: [[Term]]
    /// Nothing may match any of these.
    public var excluded: [Term]

    /// The most words a query may hold.
    public static let maximumWords = 32
    /// The most ways of picking one alternative per OR-clause.
    public static let maximumCombinations = 16

    /// Why a query was refused.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// Parses `text`.
    public init(_ text: String, analyzer: TextAnalyzer = TextAnalyzer()) throws {
        var clauses: [[Term]] = []
        var excluded: [Term] = []
        var pendingOr = false
        var words = 0
        var index = text.startIndex

        func add(_ term: Term, negated: Bool) throws {
            switch term {
            case let .phrase(parts): words += parts.count
            default: words += 1
            }
            if words > Self.maximumWords {
                throw ParseError(message: "the query is too long: at most \(Self.maximumWords) words are searched; shorten it")
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

        while index < text.endIndex {
            let c = text[index]
            if c.isWhitespace { index = text.index(after: index); continue }
            var negated = false
            if c == "-" {
                negated = true
                index = text.index(after: index)
                guard index < text.endIndex, !text[index].isWhitespace else { continue }
            }
            if index < text.endIndex, text[index] == "\"" {
                let start = text.index(after: index)
                let end = text[start...].firstIndex(of: "\"") ?? text.endIndex
                let parts = analyzer.words(String(text[start..<end]))
                index = end < text.endIndex ? text.index(after: end) : end
                if parts.count == 1 { try add(.word(parts[0]), negated: negated) }
                else if parts.count > 1 { try add(.phrase(parts), negated: negated) }
                continue
            }
            let end = text[index...].firstIndex { $0.isWhitespace || $0 == "\"" } ?? text.endIndex
            let raw = String(text[index..<end])
            index = end
            if raw == "OR" && !negated {
                if clauses.isEmpty { throw ParseError(message: "OR needs a word on each side (e.g. `pemilu OR pilkada`)") }
                pendingOr = true
                continue
            }
            let isPrefix = raw.hasSuffix("*")
            let parts = analyzer.words(raw)
            if isPrefix, parts.count == 1 {
                try add(.prefix(parts[0]), negated: negated)
            } else if parts.count == 1 {
                try add(.word(parts[0]), negated: negated)
            } else if parts.count > 1 {
                // "KPU-RI", "15/9": parts written together are a phrase.
                try add(.phrase(parts), negated: negated)
            }
        }
        if pendingOr { throw ParseError(message: "OR needs a word on each side (e.g. `pemilu OR pilkada`)") }
        if clauses.isEmpty {
            throw ParseError(message: excluded.isEmpty ? "the query has no words to search for"
                                                       : "a query needs at least one word to find, not only -exclusions")
        }
        if clauses.reduce(1, { $0 * $1.count }) > Self.maximumCombinations {
            throw ParseError(message: "too many OR alternatives: at most \(Self.maximumCombinations) combinations of them are searched")
        }
        self.clauses = clauses
        self.excluded = excluded
    }
}
