import Foundation
import SiaranCore

/// The languages the web companion speaks: the office's (`OfficeLanguage`, SiaranCore), Indonesian
/// by default; English is a user's choice (or their browser's first wish when they made none).
typealias Language = OfficeLanguage

extension OfficeLanguage {
    /// The language a browser asks for in `Accept-Language` ("en-US,en;q=0.9"): the supported one
    /// with the highest weight; Indonesian when it names none of ours.
    static func preferred(by header: String?) -> Language {
        guard let header else { return .indonesian }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            let weight = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard let language = Language(code: tag), weight > 0 else { continue }
            if best == nil || weight > best!.1 { best = (language, weight) }
        }
        return best?.0 ?? .indonesian
    }
}

/// The one message catalogue of the web companion (`Web/messages/id.json`, `en.json`): every text of
/// the pages, their scripts (through `S.t`) and the API's errors. `{name}` in a text is replaced by
/// the argument of that name. A key missing from English falls back to Indonesian, then to the key.
enum Messages {
    private static let catalogues: [Language: [String: String]] = {
        var all: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = WebAssets.files["messages/\(language.rawValue).json"] ?? Data("{}".utf8)
            all[language] = (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
        }
        return all
    }()

    static func catalogue(_ language: Language) -> [String: String] {
        catalogues[.indonesian, default: [:]].merging(catalogues[language, default: [:]]) { $1 }
    }

    /// The catalogue as nested dictionaries (`nav.archive` → `["nav": ["archive": …]]`), as the
    /// templates' `{{t.nav.archive}}` reads it.
    static func nested(_ language: Language) -> [String: Any] {
        nestedByLanguage[language] ?? [:]
    }

    /// Built once: every page render reads it.
    private nonisolated(unsafe) static let nestedByLanguage: [Language: [String: Any]] =
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, buildNested($0)) })

    private static func buildNested(_ language: Language) -> [String: Any] {
        var root: [String: Any] = [:]
        func insert(_ path: ArraySlice<Substring>, _ value: String, into node: inout [String: Any]) {
            guard let first = path.first else { return }
            if path.count == 1 {
                if node[String(first)] == nil { node[String(first)] = value }
                return
            }
            var child = node[String(first)] as? [String: Any] ?? [:]
            insert(path.dropFirst(), value, into: &child)
            node[String(first)] = child
        }
        for (key, value) in catalogue(language) { insert(key.split(separator: ".")[...], value, into: &root) }
        return root
    }

    static func text(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        var text = catalogues[language]?[key] ?? catalogues[.indonesian]?[key] ?? key
        for (name, value) in arguments { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}
