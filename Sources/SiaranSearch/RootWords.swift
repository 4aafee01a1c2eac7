import Foundation

/// The Indonesian root words the confix stemmer checks its candidates against (a class: one shared,
/// immutable table that the stemmer's inner loops reference without copying).
///
/// The list is Debian's `hunspell-id` dictionary (`/usr/share/hunspell/id_ID.dic`, about 31,000
/// entries), read from the system at run time and never copied into this repository: it is GPL, and
/// `Scripts/setup` installs it. `SIARAN_ROOT_WORDS` names another file in the same format (`word` or
/// `word/FLAGS` per line, an optional count on the first line). Siaran's own `IndonesianLexicon` is
/// always added. Without any file the stemmer still runs on the lexicon and the Snowball fallback.
///
/// Entries are kept as 64-bit FNV-1a hashes of their lower-cased bytes, so a lookup hashes a slice
/// of the word being stemmed and allocates nothing. With ~31,000 entries the chance that one
/// candidate collides with some entry is about 2⁻⁴⁹; a collision would only make a non-word look
/// like a root.
public final class RootWords: Sendable {
    /// The dictionary read when `SIARAN_ROOT_WORDS` is not set.
    public static let defaultPath = "/usr/share/hunspell/id_ID.dic"
    /// The environment variable naming another root-word file.
    public static let environmentVariable = "SIARAN_ROOT_WORDS"

    /// The root words of this process, loaded on first use (a few milliseconds).
    public static let shared = RootWords(path: ProcessInfo.processInfo.environment[environmentVariable] ?? defaultPath)

    /// What hunspell's affix flags say about one root: which prefix classes it takes (a bit per
    /// flag letter: B ber-, D di-, K ke-, M meN-, P peN-, R per-, S se-, T ter-, and G for the
    /// menge-/penge- of one-syllable roots, flags MG and PN) and how many flags
    /// it has. The stemmer uses them only to choose between two roots that both fit a word
    /// ("menempatkan": tempat, not empat; "memohon": mohon, not pohon).
    /// The suffixes are the flags' lower-case letters (a -an, i -i, k -kan: "a0", "Pa" pe-…-an, "Mk"
    /// meN-…-kan); they choose between "ajak" + -an and "aja" + -kan in "ajakan".
    struct Affixes: Sendable {
        var prefixClasses: UInt32 = 0
        var suffixClasses: UInt32 = 0
        var flagCount: UInt16 = 0

        func takes(_ classLetter: UInt8) -> Bool {
            classLetter >= 0x41 && classLetter <= 0x5A && prefixClasses & (1 << UInt32(classLetter - 0x41)) != 0
        }

        func takesSuffix(_ letter: UInt8) -> Bool {
            letter >= 0x61 && letter <= 0x7A && suffixClasses & (1 << UInt32(letter - 0x61)) != 0
        }
    }

    private let entries: [UInt64: Affixes]
    /// The file read, nil when it was missing or unreadable.
    public let path: String?
    /// How many entries came from the file (0 without one).
    public let fileEntryCount: Int
    /// An order-independent hash of the file's entries (0 without one), for `TextAnalyzer.version`.
    public let fingerprint: UInt64

    /// Reads `path` (if it exists) and adds Siaran's lexicon.
    public init(path: String?) {
        var entries: [UInt64: Affixes] = [:]
        var count = 0
        var fingerprint: UInt64 = 0
        var loaded: String?
        if let path, let data = FileManager.default.contents(atPath: path) {
            loaded = path
            entries.reserveCapacity(data.count / 9 + IndonesianLexicon.roots.count)
            data.withUnsafeBytes { raw in
                Self.parse(raw.bindMemory(to: UInt8.self)) { hash, affixes in
                    if let earlier = entries[hash] {
                        // A word listed twice ("kaji/M0MkPaT0a0", "kaji/Pl") takes the affixes of both.
                        entries[hash] = Affixes(
                            prefixClasses: earlier.prefixClasses | affixes.prefixClasses,
                            suffixClasses: earlier.suffixClasses | affixes.suffixClasses,
                            flagCount: earlier.flagCount &+ affixes.flagCount)
                    } else {
                        entries[hash] = affixes
                        count += 1
                        fingerprint &+= hash
                    }
                }
            }
        }
        for word in IndonesianLexicon.roots {
            let hash = Self.hash(Array(word.utf8)[...])
            if entries[hash] == nil { entries[hash] = Affixes() }
        }
        self.entries = entries
        self.path = loaded
        self.fileEntryCount = count
        self.fingerprint = fingerprint
    }

    /// One line for people: "28794 words from /usr/share/hunspell/id_ID.dic" or "no dictionary".
    public var description: String {
        guard let path else { return "no dictionary" }
        return "\(fileEntryCount) words from \(path)"
    }

    /// The affix evidence of the root `lead` + `bytes` (lead 0: none), nil when it is not a root.
    @inline(__always)
    func lookup<Bytes: Sequence<UInt8>>(lead: UInt8, _ bytes: Bytes) -> Affixes? {
        entries[Self.hash(bytes, lead: lead)]
    }

    /// Whether the whole word is a root.
    func contains<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool { entries[Self.hash(bytes)] != nil }

    /// 64-bit FNV-1a of `lead` (if not 0) followed by `bytes`.
    @inline(__always)
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes, lead: UInt8 = 0) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        if lead != 0 { h = (h ^ UInt64(lead)) &* 0x100_0000_01B3 }
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }

    /// Parses hunspell `.dic` bytes: skips a first line made only of digits, lower-cases ASCII,
    /// drops entries holding anything but letters (reduplications such as "abu-abu" never reach
    /// the stemmer: the tokenizer splits them), and reads `FLAG long` two-letter flags after '/'.
    /// Bytes, not `String` splitting: the whole file parses in about a millisecond.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ add: (UInt64, Affixes) -> Void) {
        var index = 0
        let end = bytes.count
        var firstLine = true
        while index < end {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            var length = 0
            var letters = true
            var digits = true
            var affixes = Affixes()
            // The word.
            while index < end {
                var byte = bytes[index]
                if byte == 0x2F || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x20 { break }
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if byte < 0x30 || byte > 0x39 { digits = false }
                if byte < 0x61 || byte > 0x7A { letters = false }
                h = (h ^ UInt64(byte)) &* 0x100_0000_01B3
                length += 1
                index += 1
            }
            // Its flags, two characters each (the dictionary declares `FLAG long`).
            if index < end && bytes[index] == 0x2F {
                index += 1
                var position = 0
                while index < end && bytes[index] != 0x0A && bytes[index] != 0x0D && bytes[index] != 0x09 && bytes[index] != 0x20 {
                    let byte = bytes[index]
                    if position % 2 == 1, bytes[index - 1] == 0x4D && (byte == 0x47 || byte == 0x33)
                        || bytes[index - 1] == 0x50 && (byte == 0x4E || byte == 0x37) {
                        // MG/M3 menge-, PN/P7 penge-: kept as the pseudo-class G.
                        affixes.prefixClasses |= 1 << UInt32(0x47 - 0x41)
                    }
                    if position % 2 == 0 {
                        affixes.flagCount &+= 1
                        if byte >= 0x41 && byte <= 0x5A { affixes.prefixClasses |= 1 << UInt32(byte - 0x41) }
                    }
                    if byte >= 0x61 && byte <= 0x7A { affixes.suffixClasses |= 1 << UInt32(byte - 0x61) }
                    position += 1
                    index += 1
                }
            }
            while index < end && bytes[index] != 0x0A { index += 1 }
            index += 1
            defer { firstLine = false }
            if firstLine && digits { continue }
            if length >= 2 && letters { add(h, affixes) }
        }
    }
}
