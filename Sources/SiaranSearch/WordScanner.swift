/// Splits folded text into the words the index stores, folding Indonesian writing habits so that one
/// word has one form whichever way a transcript or an agenda wrote it:
/// - an apostrophe between letters is dropped ("jum'at", "jum’at" → jumat; "qur'an" → quran),
///   anywhere else it separates words;
/// - dots grouping thousands join the number ("1.000" → 1000, "1.000.000" → 1000000): a dot
///   followed by exactly three digits, after a group of one to three digits. Anything else stays
///   apart as before: decimals ("3,5" → 3 5), times ("10.30" → 10 30), dates ("17.08.1945");
/// - a percent sign after a number is the word it is read as ("70%", "70 %" → 70 persen).
enum WordScanner {
    /// The words of text already folded by `TextFolding.fold`.
    static func words(_ folded: String) -> [String] {
        let ascii = folded.utf8.allSatisfy { $0 < 0x80 }
        let text: [UInt32] = ascii ? folded.utf8.map(UInt32.init) : folded.unicodeScalars.map(\.value)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var currentDigits = 0  // the word so far is made only of digits: how many (-1: not only digits)
        var joinedThousands = false  // the number so far has had a thousands dot removed
        var numberEnd = -2  // index just after the last word, when it was only digits
        func flush(at index: Int) {
            guard !current.isEmpty else { return }
            words.append(String(current))
            numberEnd = currentDigits > 0 ? index : -2
            current = String.UnicodeScalarView()
            currentDigits = 0
            joinedThousands = false
        }
        var index = 0
        while index < text.count {
            let c = text[index]
            if isWordCharacter(c, ascii: ascii) {
                current.append(Unicode.Scalar(c)!)
                if currentDigits >= 0 { currentDigits = isDigit(c) ? currentDigits + 1 : -1 }
            } else if isApostrophe(c), !current.isEmpty, isLetter(text[index - 1]),
                      index + 1 < text.count, isLetter(text[index + 1]) {
                // Inside a word: dropped.
            } else if c == 0x2E, currentDigits > 0, joinedThousands || currentDigits <= 3,
                      isThousandsGroup(text, after: index) {
                joinedThousands = true
            } else {
                flush(at: index)
                if c == 0x25, numberEnd >= 0, (numberEnd..<index).allSatisfy({ text[$0] == 0x20 }) {
                    words.append("persen")
                    numberEnd = -2
                }
            }
            index += 1
        }
        flush(at: index)
        return words
    }

    /// Exactly three digits after `index`, then the end, a non-word character other than another
    /// digit, or a further dot.
    private static func isThousandsGroup(_ text: [UInt32], after index: Int) -> Bool {
        guard index + 3 < text.count else { return false }
        for offset in 1...3 where !isDigit(text[index + offset]) { return false }
        let next = index + 4
        return next == text.count || !isWordCharacter(text[next], ascii: text[next] < 0x80)
    }

    /// Letters and digits (U+02E2 and U+02E3 mark stems and context in the index: never part of a word).
    @inline(__always)
    private static func isWordCharacter(_ c: UInt32, ascii: Bool) -> Bool {
        if c < 0x80 { return (c >= 0x61 && c <= 0x7A) || isDigit(c) }
        if ascii || c == 0x2E2 || c == 0x2E3 { return false }
        guard let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    @inline(__always)
    private static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func isLetter(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x61 && c <= 0x7A }
        return Unicode.Scalar(c)?.properties.isAlphabetic ?? false
    }

    /// ' (U+0027), ’ and ‘ (U+2019, U+2018), ʼ (U+02BC) and ` (U+0060).
    private static func isApostrophe(_ c: UInt32) -> Bool {
        c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x2BC || c == 0x60
    }
}
