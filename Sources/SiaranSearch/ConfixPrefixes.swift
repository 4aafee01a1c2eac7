/// The Indonesian derivational prefixes and their recoding rules, for `ConfixStemmer`: which roots a
/// word's first letters may hide. The nasal prefixes meN- and peN- change the root's first sound
/// (Arifin et al.'s table, extended with standard and common non-standard spellings):
///
/// | written            | root                                     | example                              |
/// | ------------------ | ---------------------------------------- | ------------------------------------ |
/// | meng-V, peng-V     | V… or kV…                                | mengajar → ajar, mengirim → kirim     |
/// | meng-g/h/k/q/kh    | as written                               | menggunakan → guna, mengkoordinasikan |
/// | menge-C, penge-C   | C… (one-syllable roots)                  | mengecek → cek                        |
/// | meny-V, peny-V     | sV… or nyV…                              | menyatakan → nyata, menyusun → susun  |
/// | men-V, pen-V       | tV… or nV…                               | menetapkan → tetap, menilai → nilai   |
/// | men-c/d/j/z/s/t    | as written                               | mendukung → dukung                    |
/// | mem-V, pem-V       | pV… or mV…                               | memilih → pilih, memohon → mohon      |
/// | mem-b/f/v/p        | as written                               | membuat → buat, mempunyai → punya     |
/// | me-l/r/w/y         | as written                               | melakukan → laku                      |
/// | per-, ber-, ter-   | as written, or rV… after pe-/be-/te-     | berubah → ubah, terasa → rasa         |
/// | pel-, bel- + ajar  | ajar                                     | belajar, pelajaran                    |
/// | be-CerV            | as written                               | bekerja → kerja                       |
/// | pe-C               | as written                               | petani → tani, pelaku → laku          |
/// | di-, ke-, se-      | as written                               | dipilih, kegiatan, sesama             |
///
/// Where two roots are possible both are offered; the stemmer keeps the one that is a word, and
/// asks the dictionary's flags when both are.
enum ConfixPrefixes {
    /// A prefix's kind: each is removed at most once per word (Nazief and Adriani).
    enum Kind: UInt8 {
        case di = 1, ke = 2, se = 4, me = 8, pe = 16, be = 32, te = 64

        /// The suffixes an outer prefix of this kind never combines with (be-…-i, di-…-an, ke-…-i,
        /// ke-…-kan, me-…-an, se-…-i, se-…-kan, te-…-an).
        func excludes(_ suffix: ConfixStemmer.Suffix) -> Bool {
            switch (self, suffix) {
            case (.be, .i), (.di, .an), (.ke, .i), (.ke, .kan), (.me, .an), (.se, .i), (.se, .kan), (.te, .an): true
            default: false
            }
        }
    }

    /// One way of removing a prefix: what remains, the prefix's kind, and the hunspell flag letter of
    /// that prefix (B ber-, D di-, K ke-, M meN-, P peN-, R per-, S se-, T ter-, G menge-/penge-).
    struct Step {
        var cut: ConfixStemmer.Cut
        var kind: Kind
        var classLetter: UInt8
        /// menge-/penge- before a one-syllable root (flag class G).
        var menge = false

        /// Whether this prefix, outermost, never combines with `suffix`: Nazief and Adriani's pairs
        /// (`Kind.excludes`), and peN-…-kan (nouns in peN- take -an: "pengecekan" is cek, not kece;
        /// per-…-kan stays, the imperative "perhatikan").
        func excludes(_ suffix: ConfixStemmer.Suffix) -> Bool {
            kind.excludes(suffix) || (suffix == .kan && kind == .pe && classLetter != 0x52)
        }
    }

    private static let a: UInt8 = 0x61, b: UInt8 = 0x62, c: UInt8 = 0x63, d: UInt8 = 0x64, e: UInt8 = 0x65
    private static let f: UInt8 = 0x66, g: UInt8 = 0x67, h: UInt8 = 0x68, i: UInt8 = 0x69, j: UInt8 = 0x6A
    private static let k: UInt8 = 0x6B, l: UInt8 = 0x6C, m: UInt8 = 0x6D, n: UInt8 = 0x6E, o: UInt8 = 0x6F
    private static let p: UInt8 = 0x70, q: UInt8 = 0x71, r: UInt8 = 0x72, s: UInt8 = 0x73, t: UInt8 = 0x74
    private static let u: UInt8 = 0x75, v: UInt8 = 0x76, w: UInt8 = 0x77, y: UInt8 = 0x79, z: UInt8 = 0x7A

    @inline(__always)
    private static func isVowel(_ x: UInt8) -> Bool { x == a || x == e || x == i || x == o || x == u }

    /// Calls `body` with each way of removing one prefix from `cut`, in order of preference, until
    /// `body` returns a result; returns that result. Remainders shorter than three letters are not offered.
    static func forEachStep(_ word: ConfixStemmer.Word, _ cut: ConfixStemmer.Cut, _ body: (Step) -> ConfixStemmer.Cut?) -> ConfixStemmer.Cut? {
        // The candidate's letters, the restored lead included (0 past the end).
        func x(_ index: Int) -> UInt8 {
            if cut.lead != 0 {
                if index == 0 { return cut.lead }
                let at = cut.lo + index - 1
                return at < cut.hi ? word[at] : 0
            }
            let at = cut.lo + index
            return at < cut.hi ? word[at] : 0
        }
        // Removes `count` letters of the candidate, restoring `lead` (0: none) in their place.
        func remove(_ count: Int, _ kind: Kind, _ letter: UInt8, lead: UInt8 = 0, menge: Bool = false) -> ConfixStemmer.Cut? {
            let lo = cut.lo + count - (cut.lead != 0 ? 1 : 0)
            let rest = ConfixStemmer.Cut(lead: lead, lo: lo, hi: cut.hi)
            guard lo <= cut.hi, rest.count >= 3 else { return nil }
            return body(Step(cut: rest, kind: kind, classLetter: letter, menge: menge))
        }
        let x0 = x(0), x1 = x(1), x2 = x(2), x3 = x(3), x4 = x(4)
        guard x1 == e || (x0 == d && x1 == i) else { return nil }
        switch x0 {
        case d where x1 == i: return remove(2, .di, 0x44)
        case k: return remove(2, .ke, 0x4B)
        case s: return remove(2, .se, 0x53)
        case m: return nasal(x2, x3, x4, .me, 0x4D) { remove($0, $1, $2, lead: $3, menge: $4) }
        case p:
            if let found = nasal(x2, x3, x4, .pe, 0x50, { remove($0, $1, $2, lead: $3, menge: $4) }) { return found }
            if x2 == r {
                if let found = remove(3, .pe, 0x52) { return found }
                return isVowel(x3) ? remove(2, .pe, 0x52) : nil
            }
            if x2 == l && x3 == a && x4 == j && x(5) == a && x(6) == r { return remove(3, .pe, 0x50) }
            return x2 != m && x2 != n && x2 != 0 && !isVowel(x2) ? remove(2, .pe, 0x50) : nil
        case b:
            if x2 == r {
                if let found = remove(3, .be, 0x42) { return found }
                return isVowel(x3) ? remove(2, .be, 0x42) : nil
            }
            if x2 == l && x3 == a && x4 == j && x(5) == a && x(6) == r { return remove(3, .be, 0x42) }
            return x2 != 0 && !isVowel(x2) && x3 == e && x4 == r ? remove(2, .be, 0x42) : nil
        case t:
            guard x2 == r else { return nil }
            if let found = remove(3, .te, 0x54) { return found }
            return isVowel(x3) ? remove(2, .te, 0x54) : nil
        default: return nil
        }
    }

    /// meN- and peN- (the table in the type's description); `x2`… are the letters after "me"/"pe".
    private static func nasal(
        _ x2: UInt8, _ x3: UInt8, _ x4: UInt8, _ kind: Kind, _ letter: UInt8,
        _ remove: (Int, Kind, UInt8, UInt8, Bool) -> ConfixStemmer.Cut?
    ) -> ConfixStemmer.Cut? {
        if x2 == n && x3 == g {
            if isVowel(x4) {
                if let found = remove(4, kind, letter, 0, false) { return found }
                if let found = remove(4, kind, letter, k, false) { return found }
                return x4 == e ? remove(5, kind, letter, 0, true) : nil
            }
            return x4 == g || x4 == h || x4 == k || x4 == q ? remove(4, kind, letter, 0, false) : nil
        }
        if x2 == n && x3 == y {
            guard isVowel(x4) else { return nil }
            if let found = remove(4, kind, letter, s, false) { return found }
            return remove(2, kind, letter, 0, false)
        }
        if x2 == n {
            if x3 == c || x3 == d || x3 == j || x3 == z || x3 == s || x3 == t { return remove(3, kind, letter, 0, false) }
            guard isVowel(x3) else { return nil }
            if let found = remove(3, kind, letter, t, false) { return found }
            return remove(2, kind, letter, 0, false)
        }
        if x2 == m {
            if x3 == b || x3 == f || x3 == v || x3 == p { return remove(3, kind, letter, 0, false) }
            guard isVowel(x3) else { return nil }
            if let found = remove(3, kind, letter, p, false) { return found }
            return remove(2, kind, letter, 0, false)
        }
        if kind == .me && (x2 == l || x2 == r || x2 == w || x2 == y) { return remove(2, kind, letter, 0, false) }
        return nil
    }
}
