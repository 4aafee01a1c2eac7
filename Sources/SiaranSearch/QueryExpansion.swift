/// Abbreviations and their long forms meet at query time: a query word that is an abbreviation also
/// finds what it stands for (`dpt` finds "daftar pemilih tetap"), and a long form typed as words or as
/// a "phrase" also finds its abbreviation. Both become alternatives of one clause, so the hits are
/// ranked together. Expansion never grows a query beyond what `SearchQuery` accepts.
public struct QueryExpansion: Sendable {
    /// One expansion applied to a query, as shown to the user.
    public struct Applied: Sendable, Equatable, Codable {
        /// What was typed (an abbreviation, or a long form's words).
        public var from: String
        /// What else was searched for.
        public var to: [String]

        public init(from: String, to: [String]) {
            self.from = from
            self.to = to
        }
    }

    /// Abbreviation → long forms, folded.
    let longForms: [String: [[String]]]
    /// A long form's first word → (long form, abbreviation), longest first.
    let byFirstWord: [String: [(words: [String], abbreviation: String)]]

    /// The project's table (`GovernmentAbbreviations`).
    public static let standard = QueryExpansion(table: GovernmentAbbreviations.table)

    init(table: [String: [String]]) {
        var longForms: [String: [[String]]] = [:]
        var byFirstWord: [String: [(words: [String], abbreviation: String)]] = [:]
        for (abbreviation, forms) in table {
            for form in forms {
                let words = form.split(separator: " ").map(String.init)
                guard let first = words.first else { continue }
                longForms[abbreviation, default: []].append(words)
                byFirstWord[first, default: []].append((words, abbreviation))
            }
        }
        self.longForms = longForms
        self.byFirstWord = byFirstWord.mapValues { $0.sorted { $0.words.count > $1.words.count } }
    }

    /// The query with its abbreviations and long forms expanded, and what was applied.
    public func expand(_ query: SearchQuery) -> (query: SearchQuery, applied: [Applied]) {
        var clauses: [[SearchQuery.Term]] = []
        var applied: [Applied] = []
        var index = 0
        let original = query.clauses
        /// Whether the clauses so far, `next`, and the clauses from `rest` on stay within the query's limits.
        func fits(_ next: [SearchQuery.Term], rest: Int) -> Bool {
            let all = clauses + [next] + original[min(rest, original.count)...]
            let combinations = all.reduce(1) { $0 * max(1, $1.count) }
            let words = all.joined().reduce(0) { total, term in
                if case let .phrase(parts) = term { return total + parts.count }
                return total + 1
            }
            return combinations <= SearchQuery.maximumCombinations && words <= SearchQuery.maximumWords
        }
        while index < original.count {
            let clause = original[index]
            // A long form typed as consecutive words (each its own clause), longest first.
            if case let .word(first)? = clause.first, clause.count == 1,
               let (length, abbreviation) = longFormAt(index, in: original, first: first) {
                let words = (index..<(index + length)).compactMap { i -> String? in
                    if case let .word(w) = original[i][0] { return w } else { return nil }
                }
                let merged: [SearchQuery.Term] = [.phrase(words), .word(abbreviation)]
                if fits(merged, rest: index + length) {
                    clauses.append(merged)
                    applied.append(Applied(from: words.joined(separator: " "), to: [abbreviation]))
                    index += length
                    continue
                }
            }
            var alternatives = clause
            for term in clause {
                switch term {
                case let .word(w):
                    var forms = (longForms[w] ?? []).map { $0.count == 1 ? SearchQuery.Term.word($0[0]) : .phrase($0) }
                    if longForms[w] != nil { forms += Self.spokenLetters(w) }
                    if let abbreviation = abbreviation(of: [w]) { forms.append(.word(abbreviation)) }
                    forms = forms.filter { !alternatives.contains($0) }
                    guard !forms.isEmpty, fits(alternatives + forms, rest: index + 1) else { continue }
                    alternatives += forms
                    applied.append(Applied(from: w, to: forms.map(Self.text)))
                case let .phrase(parts):
                    guard let abbreviation = abbreviation(of: parts), !alternatives.contains(.word(abbreviation)),
                          fits(alternatives + [.word(abbreviation)], rest: index + 1) else { continue }
                    alternatives.append(.word(abbreviation))
                    applied.append(Applied(from: parts.joined(separator: " "), to: [abbreviation]))
                case .prefix:
                    continue
                }
            }
            clauses.append(alternatives)
            index += 1
        }
        var expanded = query
        expanded.clauses = clauses
        return (expanded, applied)
    }

    /// Indonesian names of the letters, as an abbreviation is spoken letter by letter.
    static let letterNames: [Character: String] = [
        "a": "a", "b": "be", "c": "ce", "d": "de", "e": "e", "f": "ef", "g": "ge", "h": "ha", "i": "i", "j": "je", "k": "ka", "l": "el",
        "m": "em", "n": "en", "o": "o", "p": "pe", "q": "ki", "r": "er", "s": "es", "t": "te", "u": "u", "v": "ve", "w": "we", "x": "eks",
        "y": "ye", "z": "zet",
    ]

    /// An abbreviation of up to four letters as speech-to-text writes it when it is spelt out
    /// (KPU → "kapeu", "ka pe u"): machine transcripts rarely write the letters themselves.
    /// Longer ones (Bawaslu, pilkada) are said as words.
    static func spokenLetters(_ abbreviation: String) -> [SearchQuery.Term] {
        guard abbreviation.count <= 4, abbreviation.count >= 2 else { return [] }
        let names = abbreviation.compactMap { letterNames[$0] }
        guard names.count == abbreviation.count else { return [] }
        return [.word(names.joined()), .phrase(names)]
    }

    /// A term as the user reads it.
    static func text(_ term: SearchQuery.Term) -> String {
        switch term {
        case let .word(w): return w
        case let .phrase(parts): return parts.joined(separator: " ")
        case let .prefix(p): return p + "*"
        }
    }

    /// The abbreviation whose long form is exactly `words`.
    func abbreviation(of words: [String]) -> String? {
        guard let first = words.first else { return nil }
        return byFirstWord[first]?.first { $0.words == words }?.abbreviation
    }

    /// The longest long form starting at clause `index`, spelt by that clause and the following ones
    /// (each a single word): its length in clauses and its abbreviation.
    private func longFormAt(_ index: Int, in clauses: [[SearchQuery.Term]], first: String) -> (Int, String)? {
        guard let candidates = byFirstWord[first] else { return nil }
        for candidate in candidates where candidate.words.count > 1 && index + candidate.words.count <= clauses.count {
            let matches = candidate.words.indices.allSatisfy { k in
                let clause = clauses[index + k]
                if clause.count == 1, case let .word(w) = clause[0] { return w == candidate.words[k] }
                return false
            }
            if matches { return (candidate.words.count, candidate.abbreviation) }
        }
        return nil
    }
}
