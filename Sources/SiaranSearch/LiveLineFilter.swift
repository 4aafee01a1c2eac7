import Foundation

/// Whether a line just heard live may hold what a saved search looks for: one of its words (as
/// typed, its stem, an abbreviation's long form or the other way round) or a word beginning
/// (prefix*). A cheap look over the new words alone, so that only a line that may match makes the
/// alerts re-index its session at once; the search itself (filters, phrases, exclusions) decides.
public struct LiveLineFilter: Sendable {
    private let analyzer = TextAnalyzer()
    private let words: Set<String>
    private let prefixes: [String]
    /// A saved search with no words (filters alone) looks at every line.
    private let everything: Bool

    /// The filter of saved queries `queries` (a query that does not parse finds nothing, so adds nothing).
    public init(queries: [String]) {
        var words: Set<String> = [], prefixes: [String] = [], everything = false
        for text in queries {
            guard let typed = try? SearchQuery(text, analyzer: analyzer) else { continue }
            let query = QueryExpansion.standard.expand(typed).query
            if query.clauses.isEmpty { everything = true }
            for term in query.clauses.joined() {
                switch term {
                case let .word(word): words.formUnion([word, analyzer.stem(word)])
                case let .phrase(parts): for word in parts { words.formUnion([word, analyzer.stem(word)]) }
                case let .prefix(start): prefixes.append(start)
                }
            }
        }
        self.words = words
        self.prefixes = prefixes
        self.everything = everything
    }

    /// Whether `text` holds a word of the saved searches (its exact form or its stem) or a word
    /// beginning with one of their prefixes.
    public func mayMatch(_ text: String) -> Bool {
        if everything { return !text.isEmpty }
        for token in analyzer.tokens(text) {
            if words.contains(token.exact) || words.contains(token.stem) { return true }
            if prefixes.contains(where: { token.exact.hasPrefix($0) }) { return true }
        }
        return false
    }
}
