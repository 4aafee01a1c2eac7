// Where "did you mean" looks for the indexed words near a typed one, so that it reads a few keys or key
// ranges of the catalog instead of every word of a near length. The distance is measured afterwards in
// Swift, as before (`EditDistance`, on UTF-8 bytes), so these only have to hold every word that can be
// within the allowed edits: the proofs are below and `TypoNeighbourTests` checks them by brute force.
//
// Only for a typed word of ASCII letters and digits (`applies`): the words the index stores spell ASCII
// with `a-z0-9` alone (`WordScanner`), so one edit of such a word that gives an indexed word inserts or
// substitutes one of those 36 (a byte of a longer UTF-8 letter alone is not text).
struct TypoNeighbours {
    /// The letters an edit may bring into an ASCII indexed word.
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    let word: [UInt8]

    /// The longest word (in bytes) whose candidates are generated.
    static let longest = 64

    init?(_ word: String, maxDistance: Int) {
        guard Self.applies(word, maxDistance: maxDistance) else { return nil }
        self.word = Array(word.utf8)
    }

    /// 1 edit from 2 letters, 2 edits from 5: shorter words or more edits read every word of a near length.
    /// So do words longer than `longest`: their candidates would grow with the square of their length (a
    /// pasted paragraph: gigabytes, and past ~450 letters more binds than a statement takes), while the
    /// words of a near length are few.
    static func applies(_ word: String, maxDistance: Int) -> Bool {
        let letters = word.utf8.count
        guard letters <= longest, word.utf8.allSatisfy({ alphabet.contains($0) }) else { return false }
        return (maxDistance == 1 && letters >= 2) || (maxDistance == 2 && letters >= 5)
    }

    /// Every string one edit (insert, delete, substitute, swap neighbours) from `word` over `alphabet`,
    /// without `word` itself. For one allowed edit these are the candidates: an indexed word one byte
    /// edit away from an ASCII word is ASCII (above), so it is one of them.
    static func oneEditAway(_ word: [UInt8]) -> Set<[UInt8]> {
        var found = Set<[UInt8]>()
        let n = word.count
        for i in 0..<n {
            var deleted = word
            deleted.remove(at: i)
            found.insert(deleted)
            for c in alphabet where c != word[i] {
                var substituted = word
                substituted[i] = c
                found.insert(substituted)
            }
            if i + 1 < n, word[i] != word[i + 1] {
                var swapped = word
                swapped.swapAt(i, i + 1)
                found.insert(swapped)
            }
        }
        for i in 0...n {
            for c in alphabet {
                var inserted = word
                inserted.insert(c, at: i)
                found.insert(inserted)
            }
        }
        found.remove(word)
        return found
    }

    var oneEditWords: [String] { Self.oneEditAway(word).map { String(decoding: $0, as: UTF8.self) }.sorted() }

    /// For two allowed edits: the beginnings and (reversed) endings whose words hold every word within two
    /// edits. Why it holds:
    /// 1. One edit of a string `v` of `m` letters leaves `v`'s first `m / 2` letters (`a` of them) in place,
    ///    or its letters after position `a`: a substitution, deletion or swap at position p touches p (and
    ///    p + 1), an insertion goes before position p; with p ≥ a the first a letters are untouched, with
    ///    p < a (an insertion: p ≤ a) nothing after position a is.
    /// 2. Two edits are one edit of a string `v` one edit from the word (the first edit applied), and an
    ///    ASCII result went through an ASCII `v`, over `alphabet`: so (1) for every such `v` and the word.
    /// 3. A result holding a non-ASCII letter spent both byte edits on one spot at most 2 bytes wide (a
    ///    2-byte letter for 0, 1 or 2 ASCII ones), which cannot straddle position a's one letter: it begins
    ///    with the word's first `a` letters or ends with its letters after position a, as in (1).
    var twoEditRanges: (beginnings: [String], endings: [String]) {
        var beginnings = Set<[UInt8]>(), endings = Set<[UInt8]>()
        for v in Self.oneEditAway(word).union([word]) {
            let a = v.count / 2
            beginnings.insert(Array(v[..<a]))
            endings.insert(Array(v[(a + 1)...].reversed()))
        }
        func text(_ set: Set<[UInt8]>) -> [String] { set.map { String(decoding: $0, as: UTF8.self) }.sorted() }
        return (text(beginnings), text(endings))
    }

    /// The first string after every string that begins with `start` (ASCII, not empty), in byte order: a
    /// range `start ..< after(start)` of a "C"-collated column is the words beginning with it.
    static func after(_ start: String) -> String {
        var bytes = Array(start.utf8)
        bytes[bytes.count - 1] += 1
        return String(decoding: bytes, as: UTF8.self)
    }
}
