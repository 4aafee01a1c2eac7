import SiaranSearch

/// FTS5 MATCH expressions made from parsed query terms (never from user text: the query parser has
/// already split and folded every word, so the quoted tokens hold no FTS5 syntax).
enum MatchExpression {
    /// The FTS5 expression for one term (see `Catalog` for the tokens): its exact form only, or any
    /// form with its stem. A phrase is all of its words here; the catalog checks their order in the text.
    /// Every token is a quoted string of letters and digits, so the expression is always well formed.
    static func of(_ term: SearchQuery.Term, exactOnly: Bool, completions: [String: [String]], analyzer: TextAnalyzer) -> String? {
        if case let .prefix(p) = term {
            // prefix* as its most frequent completions: plain doclists that FTS5 reads lazily, instead
            // of a merge of every matching term.
            guard let words = completions[p], !words.isEmpty else { return nil }
            return "(" + words.map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
        }
        func quoted(_ s: String) -> String { "\"" + s + "\"" }
        func word(_ w: String) -> String {
            if exactOnly { return quoted(w) }
            let stem = analyzer.stem(w)
            return "(" + quoted(stem) + " OR " + quoted(SQLiteCatalog.stemMarker + stem) + ")"
        }
        switch term {
        case let .word(w):
            return word(w)
        case let .phrase(parts):
            return "(" + parts.map(word).joined(separator: " AND ") + ")"
        case .prefix:
            return nil
        }
    }
}
