/// The Snowball Indonesian stemmer (Tala's "Porter stemmer for Bahasa Indonesia" as specified by the
/// Snowball project, BSD-licensed algorithm), written for Siaran.
///
/// The word's "measure" is its number of vowels; nothing is removed from a word of measure 2 or less.
/// In order: a particle (-kah, -lah, -pun), a possessive (-nya, -ku, -mu), then either a first-order
/// prefix (di-, ke-, me-, peng-, ter-… with their sound changes) followed by a derivational suffix
/// (-i, -an, -kan) and a second-order prefix (ber-, per-…), or a second-order prefix and a suffix.
/// Each removal lowers the measure by one; the kind of prefix removed decides which suffixes may go.
public struct IndonesianStemmer: Sendable {
    public init() {}

    /// What kind of prefix was removed; it constrains suffix removal.
    private enum PrefixKind { case none, diMengTer, per, kePeng, ber }

    private static let a: UInt32 = 0x61, e: UInt32 = 0x65, i: UInt32 = 0x69, o: UInt32 = 0x6F, u: UInt32 = 0x75
    private static let s: UInt32 = 0x73, p: UInt32 = 0x70, r: UInt32 = 0x72

    @inline(__always)
    private static func isVowel(_ c: UInt32) -> Bool { c == a || c == e || c == i || c == o || c == u }

    /// The stem of one lower-case word.
    public func stem(_ word: String) -> String {
        var chars = word.unicodeScalars.map(\.value)
        stem(&chars)
        var result = String.UnicodeScalarView()
        for c in chars { result.append(Unicode.Scalar(c)!) }
        return String(result)
    }

    /// Stems a word given as Unicode scalar values, in place.
    public func stem(_ w: inout [UInt32]) {
        var measure = 0
        for c in w where Self.isVowel(c) { measure += 1 }
        if measure <= 2 { return }

        // Inflectional endings, from the end of the word.
        if hasSuffix(w, "kah") || hasSuffix(w, "lah") || hasSuffix(w, "pun") {
            w.removeLast(3)
            measure -= 1
        }
        if measure <= 2 { return }
        if hasSuffix(w, "nya") {
            w.removeLast(3); measure -= 1
        } else if hasSuffix(w, "ku") || hasSuffix(w, "mu") {
            w.removeLast(2); measure -= 1
        }
        if measure <= 2 { return }

        var kind = PrefixKind.none
        if let start = removeFirstOrderPrefix(&w, measure: &measure, kind: &kind) {
            // `start` is where the rest of the word begins (after a replacement letter, if any).
            if measure > 2, removeSuffix(&w, from: start, kind: kind) {
                measure -= 1
                if measure > 2 { _ = removeSecondOrderPrefix(&w, at: start, measure: &measure, kind: &kind) }
            }
        } else {
            _ = removeSecondOrderPrefix(&w, at: 0, measure: &measure, kind: &kind)
            if measure > 2, removeSuffix(&w, from: 0, kind: kind) { measure -= 1 }
        }
    }

    // MARK: - Pieces

    private func hasSuffix(_ w: [UInt32], _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard w.count >= n else { return false }
        return suffix.withUTF8Buffer { bytes in
            for k in 0..<n where w[w.count - n + k] != UInt32(bytes[k]) { return false }
            return true
        }
    }

    private func hasPrefix(_ w: [UInt32], _ prefix: StaticString, at start: Int = 0) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard w.count - start >= n else { return false }
        return prefix.withUTF8Buffer { bytes in
            for k in 0..<n where w[start + k] != UInt32(bytes[k]) { return false }
            return true
        }
    }

    /// di-, ke-, me-/men-/meng-/meny-/mem-, pen-/peng-/peny-/pem-, ter-. Returns where the remaining
    /// word starts, or nil when no such prefix is there.
    private func removeFirstOrderPrefix(_ w: inout [UInt32], measure: inout Int, kind: inout PrefixKind) -> Int? {
        func vowel(at index: Int) -> Bool { index < w.count && Self.isVowel(w[index]) }
        func replace(_ length: Int, with letter: UInt32?) -> Int {
            w.removeFirst(length)
            measure -= 1
            if let letter { w.insert(letter, at: 0); return 1 }
            return 0
        }
        if hasPrefix(w, "meny") && vowel(at: 4) { kind = .diMengTer; return replace(4, with: Self.s) }
        if hasPrefix(w, "peny") && vowel(at: 4) { kind = .kePeng; return replace(4, with: Self.s) }
        if hasPrefix(w, "meng") { kind = .diMengTer; return replace(4, with: nil) }
        if hasPrefix(w, "peng") { kind = .kePeng; return replace(4, with: nil) }
        if hasPrefix(w, "mem") { kind = .diMengTer; return replace(3, with: vowel(at: 3) ? Self.p : nil) }
        if hasPrefix(w, "pem") { kind = .kePeng; return replace(3, with: vowel(at: 3) ? Self.p : nil) }
        if hasPrefix(w, "men") { kind = .diMengTer; return replace(3, with: nil) }
        if hasPrefix(w, "pen") { kind = .kePeng; return replace(3, with: nil) }
        if hasPrefix(w, "ter") { kind = .diMengTer; return replace(3, with: nil) }
        if hasPrefix(w, "me") || hasPrefix(w, "di") { kind = .diMengTer; return replace(2, with: nil) }
        if hasPrefix(w, "ke") { kind = .kePeng; return replace(2, with: nil) }
        return nil
    }

    /// ber-, be- (before consonant + "er"), belajar → ajar, per-, pe-, pelajar → ajar; at `start`.
    private func removeSecondOrderPrefix(_ w: inout [UInt32], at start: Int, measure: inout Int, kind: inout PrefixKind) -> Bool {
        func drop(_ length: Int, replacing replacement: [UInt32] = []) {
            w.replaceSubrange(start..<(start + length), with: replacement)
            measure -= 1
        }
        let ajar: [UInt32] = [0x61, 0x6A, 0x61, 0x72]
        if hasPrefix(w, "belajar", at: start) { drop(7, replacing: ajar); kind = .ber; return true }
        if hasPrefix(w, "ber", at: start) { drop(3); kind = .ber; return true }
        if hasPrefix(w, "be", at: start), start + 4 < w.count + 0, start + 2 < w.count, !Self.isVowel(w[start + 2]),
           hasPrefix(w, "er", at: start + 3) {
            drop(2); kind = .ber; return true
        }
        if hasPrefix(w, "pelajar", at: start) { drop(7, replacing: ajar); return true }
        if hasPrefix(w, "per", at: start) { drop(3); kind = .per; return true }
        if hasPrefix(w, "pe", at: start) { drop(2); kind = .per; return true }
        return false
    }

    /// -kan, -an, -i, within the word from `start`, as the removed prefix allows.
    private func removeSuffix(_ w: inout [UInt32], from start: Int, kind: PrefixKind) -> Bool {
        let length = w.count - start
        if length >= 3, hasSuffix(w, "kan"), kind != .kePeng, kind != .per {
            w.removeLast(3); return true
        }
        if length >= 2, hasSuffix(w, "an"), kind != .diMengTer {
            w.removeLast(2); return true
        }
        if length >= 1, hasSuffix(w, "i"), kind == .none || kind == .diMengTer || kind == .per,
           !(w.count >= 2 && w[w.count - 2] == Self.s && w.count - 2 >= start) {
            w.removeLast(1); return true
        }
        return false
    }
}
