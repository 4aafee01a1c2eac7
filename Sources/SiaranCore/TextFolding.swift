import Foundation

/// Case and diacritics folding shared by ids, name matching and search.
public enum TextFolding {
    /// NFC-normalised, lower-cased text without combining marks ("Ilhám" → "ilham").
    public static func fold(_ text: String) -> String {
        // Fast path: plain ASCII (most Indonesian text) only needs lower-casing.
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            if !utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return text }
            return String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        let decomposed = text.decomposedStringWithCanonicalMapping.lowercased()
        var scalars = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars where !(0x300...0x36F).contains(scalar.value) {
            scalars.append(scalar)
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    /// A file-name-safe slug: folded letters and digits joined by single hyphens, at most `limit` long.
    public static func slug(_ text: String, limit: Int = 48) -> String {
        var out = ""
        var pendingHyphen = false
        for character in fold(text) {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if pendingHyphen && !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.append(character)
            } else {
                pendingHyphen = true
            }
            if out.count >= limit { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }
}
