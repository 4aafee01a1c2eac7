import Foundation

/// A search filter whose values are names the index holds.
public enum FilterField: String, Sendable, CaseIterable, Codable {
    case speaker, agenda, topic

    /// How the name is spoken of in messages ("speaker", "agenda item", "topic").
    public var noun: String { self == .agenda ? "agenda item" : rawValue }
}

/// A name an index holds for a filter (a speaker as tagged, an agenda item's title, a topic), with
/// the other names it goes by (a roster's aliases, the name in captions' voice tags).
public struct KnownName: Sendable, Equatable, Codable {
    public var name: String
    public var aliases: [String]

    public init(name: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
    }
}

/// How a typed filter value picks names: its words, folded, stand as whole words and in order in the
/// name or in one of its aliases. `ilham` is Ilham Saputra but not Ilhamsyah; `pak ilham` is the
/// alias "Pak Ilham". Every engine filters through this, so they agree.
public enum NameFilter {
    private static let analyzer = TextAnalyzer()

    /// Whether `typed` names `known`.
    public static func matches(_ typed: String, _ known: KnownName) -> Bool {
        let wanted = analyzer.words(typed)
        guard !wanted.isEmpty else { return false }
        return ([known.name] + known.aliases).contains { holds(analyzer.words($0), wanted) }
    }

    /// The names among `known` that `typed` names.
    public static func matching(_ typed: String, in known: [KnownName]) -> [KnownName] {
        known.filter { matches(typed, $0) }
    }

    /// The names among `known` holding every stem of `typed` (topics are filtered by stems: a
    /// session tagged "sosialisasi" is found by `--topic mensosialisasikan`).
    public static func matchingStems(_ typed: String, in known: [KnownName]) -> [KnownName] {
        let wanted = Set(analyzer.tokens(typed).map(\.stem))
        guard !wanted.isEmpty else { return [] }
        return known.filter { entry in
            ([entry.name] + entry.aliases).contains { wanted.isSubset(of: Set(analyzer.tokens($0).map(\.stem))) }
        }
    }

    /// Names close to `typed` (one or two typos in a word), for "did you mean".
    public static func closest(to typed: String, in known: [KnownName], limit: Int = 3) -> [String] {
        let wanted = analyzer.words(typed)
        guard !wanted.isEmpty else { return [] }
        var scored: [(distance: Int, name: String)] = []
        for entry in known {
            var best: Int?
            for candidate in [entry.name] + entry.aliases {
                let words = analyzer.words(candidate)
                // Each typed word against its nearest word of the name.
                var total = 0
                for word in wanted {
                    let allowed = max(1, EditDistance.typosAllowed(letters: word.unicodeScalars.count))
                    guard let distance = words.compactMap({ EditDistance.between(word, $0, limit: allowed) }).min() else { total = -1; break }
                    total += distance
                }
                if total >= 0 { best = min(best ?? total, total) }
            }
            if let best { scored.append((best, entry.name)) }
        }
        return scored.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }.prefix(limit).map(\.name)
    }

    private static func holds(_ words: [String], _ wanted: [String]) -> Bool {
        guard words.count >= wanted.count else { return false }
        for start in 0...(words.count - wanted.count) where Array(words[start..<(start + wanted.count)]) == wanted { return true }
        return false
    }
}

/// A filter value that names nothing in the index: said as such, not as "no matches".
public struct UnknownFilterValue: Error, CustomStringConvertible, Sendable {
    public var field: FilterField
    public var typed: String
    /// Close names, for "did you mean".
    public var suggestions: [String]
    /// How many names of this kind the index holds, and some of them.
    public var knownCount: Int
    public var someKnown: [String]

    public var description: String {
        var text = "no \(field.noun) called “\(typed)” in the indexed sessions"
        if !suggestions.isEmpty {
            text += "; did you mean " + suggestions.map { "“\($0)”" }.joined(separator: " or ") + "?"
        } else if knownCount == 0 {
            text += " (no session has a \(field.noun) yet)"
        } else {
            text += " (\(knownCount) known, e.g. " + someKnown.map { "“\($0)”" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
