import SiaranSearch

// The tsvector and tsquery literals of the shared catalog. They are bound as parameters (`$1::tsvector`,
// `$1::tsquery`), never spliced into SQL; their lexemes are the analyzer's words, quoted and escaped
// all the same. Weights: A an exact form whose stem differs, B that stem, C a word that is its own stem.
enum PostgresTokens {
    /// PostgreSQL refuses lexemes of 2 kB or more; the analyzer never makes such words from real text,
    /// and a row keeps its other words when a fuzzer does.
    static let longestLexeme = 2000

    static func quoted(_ lexeme: String) -> String {
        var out = "'"
        for character in lexeme {
            if character == "'" { out += "''" } else if character == "\\" { out += "\\\\" } else { out.append(character) }
        }
        return out + "'"
    }

    /// The tsvector literal of a row's tokens, positions kept (1-based, PostgreSQL's limit is 16383).
    static func vector(_ tokens: [TextAnalyzer.Token]) -> String {
        var parts: [String] = []
        parts.reserveCapacity(tokens.count * 2)
        for (index, token) in tokens.enumerated() where token.exact.utf8.count < longestLexeme && token.stem.utf8.count < longestLexeme {
            let position = min(index + 1, 16383)
            if token.exact == token.stem {
                parts.append("\(quoted(token.exact)):\(position)C")
            } else {
                parts.append("\(quoted(token.exact)):\(position)A")
                parts.append("\(quoted(token.stem)):\(position)B")
            }
        }
        return parts.joined(separator: " ")
    }

    /// A tsquery operand: the exact form only, or any form with this stem.
    static func word(_ word: String, exactOnly: Bool, analyzer: TextAnalyzer) -> String? {
        let lexeme = exactOnly ? word : analyzer.stem(word)
        guard !lexeme.isEmpty, lexeme.utf8.count < longestLexeme else { return nil }
        return quoted(lexeme) + (exactOnly ? ":AC" : "")
    }

    /// The tsquery of one query term; a phrase is its words in order (`<->`: by exact forms, or by
    /// stems: a stem's own lexeme, B or C, never an exact form A); a prefix* is its completions. Nil
    /// when the term can match nothing.
    static func of(_ term: SearchQuery.Term, exactOnly: Bool, completions: [String: [String]], analyzer: TextAnalyzer) -> String? {
        switch term {
        case let .word(w):
            return word(w, exactOnly: exactOnly, analyzer: analyzer)
        case let .phrase(parts):
            let words = parts.compactMap { part -> String? in
                let lexeme = exactOnly ? part : analyzer.stem(part)
                guard !lexeme.isEmpty, lexeme.utf8.count < longestLexeme else { return nil }
                return quoted(lexeme) + (exactOnly ? ":AC" : ":BC")
            }
            guard words.count == parts.count, !words.isEmpty else { return nil }
            return "(" + words.joined(separator: " <-> ") + ")"
        case let .prefix(p):
            guard let found = completions[p], !found.isEmpty else { return nil }
            return "(" + found.map { quoted($0) + ":AC" }.joined(separator: " | ") + ")"
        }
    }
}
