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
        var parser = QueryParser(text, analyzer: analyzer)
        try parser.parse()
        (clauses, excluded) = try parser.finish()
    }
}
