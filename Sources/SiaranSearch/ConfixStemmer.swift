/// A dictionary-checked confix-stripping stemmer for Indonesian, after the published descriptions of
/// Nazief and Adriani (1996), Asian's Confix Stripping (2007) and Arifin et al.'s Enhanced Confix
/// Stripping (2009); written for Siaran.
///
/// Every candidate is checked against `RootWords`, so a word is cut only as far as a real root:
/// "distribusi", "media" and "menteri" are roots and stay whole, "didistribusikan" reaches
/// "distribusi". In order, stopping at the first root:
/// 1. the word itself;
/// 2. the steps below on the word as written, then without its particle (-lah, -kah, -tah, -pun),
///    then also without its possessive (-nya, -ku, -mu): the whole word first, because a root may end
///    like a clitic ("bertanya" is not "berta" + -nya, "bermasalah" not "bermasa" + -lah, "bertemu"
///    not "berte" + -mu), and a word that reaches no root as written rarely reaches a wrong one;
/// 3. without a derivational suffix (-kan, else -an, else -i), then the same word with its prefixes
///    stripped (`ConfixPrefixes`), then with the suffix put back and only the prefixes stripped.
///    For be-…-an and me-/di-/pe-/te-…-i the prefix goes first (Asian's rule precedence), because
///    those ends are often part of the root ("bertahan", "menilai", "terbagi");
/// 4. up to three prefixes, each kind once ("mempertanyakan": mem-, per-, tanya, -kan), never an
///    outer prefix with a suffix it does not combine with (be-…-i, di-…-an, ke-…-i, ke-…-kan, me-…-an,
///    se-…-i, se-…-kan, te-…-an, peN-…-kan: "memakan" is makan, not pak).
///
/// When a prefix's sound change admits two roots that are both words ("memohon": mohon or pohon),
/// the one whose dictionary flags allow that prefix wins, then the one with more flags (a root that
/// takes more affixes is the more common one). Returns nil when nothing reaches a root; the caller
/// then falls back to the Snowball stemmer.
struct ConfixStemmer: Sendable {
    let roots: RootWords

    /// The derivational suffix removed before prefixes are stripped.
    enum Suffix { case none, i, an, kan }

    /// A candidate root: an optional restored first letter (`lead`, 0 when none: "meng" + "irim"
    /// restores k) followed by the bytes `lo..<hi` of the word.
    struct Cut: Equatable {
        var lead: UInt8 = 0
        var lo: Int
        var hi: Int
        var count: Int { hi - lo + (lead == 0 ? 0 : 1) }
    }

    /// The root of a lower-case ASCII word (letters only), spelling variants folded to their standard
    /// form and derived dictionary entries to their roots (`IndonesianLexicon.replacements`), or nil when no root is reached.
    func root(of word: [UInt8]) -> [UInt8]? {
        // The search works on a buffer pointer: no reference counting in the inner loops.
        guard let cut = word.withUnsafeBufferPointer({ rootCut(of: $0, acceptingWholeWord: true) }) else { return nil }
        if let standard = IndonesianLexicon.replacements[RootWords.hash(word[cut.lo..<cut.hi], lead: cut.lead)] {
            return standard
        }
        return materialise(cut, of: word)
    }

    /// The root reached by stripping, ignoring whether the whole word is itself an entry: used to
    /// find dictionary entries that are derived forms (`IndonesianLexicon.derivedEntries`).
    func strippedRoot(of word: [UInt8]) -> [UInt8]? {
        guard let cut = word.withUnsafeBufferPointer({ rootCut(of: $0, acceptingWholeWord: false) }),
              cut != Cut(lo: 0, hi: word.count) else { return nil }
        return materialise(cut, of: word)
    }

    private func materialise(_ cut: Cut, of word: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cut.count)
        if cut.lead != 0 { bytes.append(cut.lead) }
        bytes.append(contentsOf: word[cut.lo..<cut.hi])
        return bytes
    }

    private func rootCut(of w: Word, acceptingWholeWord: Bool) -> Cut? {
        let whole = Cut(lo: 0, hi: w.count)
        if acceptingWholeWord, roots.contains(w[...]) { return whole }
        if let found = derivational(w, whole) { return found }
        // Inflectional endings: the particle is outermost ("hasilnyapun" is rare, "hasilnya" common).
        var base = whole
        if let particle = Self.particle(w, base) {
            base.hi -= particle
            if roots.lookup(lead: 0, w[base.lo..<base.hi]) != nil { return base }
            if let found = derivational(w, base) { return found }
        }
        if let possessive = Self.possessive(w, base) {
            base.hi -= possessive
            if roots.lookup(lead: 0, w[base.lo..<base.hi]) != nil { return base }
            if let found = derivational(w, base) { return found }
        }
        return nil
    }

    /// The word being stemmed.
    typealias Word = UnsafeBufferPointer<UInt8>

    /// The length of the particle (-lah, -kah, -tah, -pun) `cut` ends with, leaving three letters.
    private static func particle(_ w: Word, _ cut: Cut) -> Int? {
        guard cut.hi - cut.lo >= 6 else { return nil }
        let a = w[cut.hi - 3], b = w[cut.hi - 2], c = w[cut.hi - 1]
        if b == 0x61 && c == 0x68 && (a == 0x6C || a == 0x6B || a == 0x74) { return 3 }  // -lah -kah -tah
        return a == 0x70 && b == 0x75 && c == 0x6E ? 3 : nil  // -pun
    }

    /// The length of the possessive (-nya, -ku, -mu) `cut` ends with, leaving three letters.
    private static func possessive(_ w: Word, _ cut: Cut) -> Int? {
        let n = cut.hi - cut.lo
        if n >= 6 && w[cut.hi - 3] == 0x6E && w[cut.hi - 2] == 0x79 && w[cut.hi - 1] == 0x61 { return 3 }
        guard n >= 5, w[cut.hi - 1] == 0x75 else { return nil }
        return w[cut.hi - 2] == 0x6B || w[cut.hi - 2] == 0x6D ? 2 : nil
    }

    /// Step 3: derivational suffixes, with or before the prefixes (see the type's description).
    private func derivational(_ w: Word, _ base: Cut) -> Cut? {
        let n = base.hi
        func at(_ i: Int) -> UInt8 { i >= base.lo && i < n ? w[i] : 0 }
        var options: [(Suffix, Int)] = []
        options.reserveCapacity(3)
        if at(n - 3) == 0x6B && at(n - 2) == 0x61 && at(n - 1) == 0x6E {  // -kan, else -an keeping the k
            options.append((.kan, 3)); options.append((.an, 2))
        } else if at(n - 2) == 0x61 && at(n - 1) == 0x6E {
            options.append((.an, 2))
        } else if at(n - 1) == 0x69 {
            options.append((.i, 1))
        }
        // Asian's rule precedence: be-…-an, me-/pe-/te-…-i and di-…-i try the prefix alone first.
        let first = at(base.lo), second = at(base.lo + 1)
        let ends = options.first?.0
        let precedence = (second == 0x65 && first == 0x62 && ends == .an)
            || (second == 0x65 && (first == 0x6D || first == 0x70 || first == 0x74) && ends == .i)
            || (first == 0x64 && second == 0x69 && ends == .i)
        if precedence {
            options.insert((.none, 0), at: 0)
        } else {
            options.append((.none, 0))
        }
        for (suffix, length) in options {
            var cut = base
            cut.hi -= length
            guard cut.count >= 3 else { continue }
            let affixes = suffix == .none ? nil : roots.lookup(lead: 0, w[cut.lo..<cut.hi])
            let isRoot = affixes != nil
            // "ajakan": ajak + -an, not aja + -kan: when both are roots, the one the dictionary
            // gives that suffix.
            if suffix == .kan, let affixes, !affixes.takesSuffix(0x6B),
               roots.lookup(lead: 0, w[cut.lo..<(cut.hi + 1)])?.takesSuffix(0x61) == true {
                continue
            }
            // ke-…-an is one confix: "kesiapan" is ke-siap-an before it is the entry "kesiap" + -an,
            // unless the dictionary gives that entry -an ("kenangan" is kenang + -an, not ke-nang-an).
            let confix = suffix == .an && first == 0x6B && second == 0x65 && affixes?.takesSuffix(0x61) != true
            if isRoot && !confix { return cut }
            if let found = stripPrefixes(w, cut, suffix: suffix, removed: 0, depth: 0) { return found }
            if isRoot { return cut }
        }
        return nil
    }

    /// Step 4: prefixes, outermost first. At each depth the candidates that are roots are compared
    /// first (the best by dictionary flags wins); only then is each candidate stripped further.
    private func stripPrefixes(_ w: Word, _ cut: Cut, suffix: Suffix, removed: UInt8, depth: Int) -> Cut? {
        guard depth < 3 else { return nil }
        func allowed(_ step: ConfixPrefixes.Step) -> Bool {
            removed & step.kind.rawValue == 0 && !(depth == 0 && step.excludes(suffix))
        }
        var best: Cut?
        var bestScore = -1
        _ = ConfixPrefixes.forEachStep(w, cut) { step in
            guard allowed(step), let affixes = roots.lookup(lead: step.cut.lead, w[step.cut.lo..<step.cut.hi]) else { return nil }
            // A root flagged for this very prefix wins; menge- (flag class G) is the most specific.
            let match = (affixes.takes(step.classLetter) ? 1 : 0) + (step.menge && affixes.takes(0x47) ? 2 : 0)
            let score = match << 16 + Int(affixes.flagCount)
            if score > bestScore { best = step.cut; bestScore = score }
            return nil
        }
        if let best { return best }
        return ConfixPrefixes.forEachStep(w, cut) { step in
            guard allowed(step) else { return nil }
            return stripPrefixes(w, step.cut, suffix: suffix, removed: removed | step.kind.rawValue, depth: depth + 1)
        }
    }
}
