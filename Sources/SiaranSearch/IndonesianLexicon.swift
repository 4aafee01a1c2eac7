/// Siaran's own Indonesian word lists, added to the system dictionary (`RootWords`) by the confix
/// stemmer. Small on purpose: each entry is here because a measured word family
/// (`Tests/SiaranSearchTests/Data/word-families.txt`) or a wrong merge needed it.
enum IndonesianLexicon {
    /// Roots of election and public-relations talk that hunspell-id lacks, so their affixed forms
    /// ("pemilunya", "kepemiluan", "hoaksnya", "menyosialisasikan" stay with "pemilu", "hoaks"…) still reach them.
    static let domainRoots: [String] = [
        // Elections: institutions, offices and events.
        "pemilu", "pilkada", "pilpres", "pileg", "bawaslu", "kpu", "dkpp", "dpr", "dprd", "dpd",
        "caleg", "capres", "cawapres", "cagub", "cawagub", "paslon", "tps", "pps", "ppk", "kpps",
        "elektabilitas", "golput",
        // Public relations and the media.
        "bakohumas", "humas", "medsos", "warganet", "webinar", "daring", "luring", "siber", "viral",
        "hoaks", "misinformasi", "disinformasi", "malinformasi", "literasi", "diseminasi", "validasi",
        "kredibel", "akuntabel", "akuntabilitas", "infografis", "podcast", "siniar", "unggah",
    ]

    /// Words that look prefixed or suffixed but are roots of their own family, which hunspell-id
    /// lacks: stripping them would merge unrelated families (pemerintah/perintah, peserta/serta,
    /// kedua/dua, penduduk/duduk, adalah/ada). Lexicalised words that hunspell-id does list (masalah, media,
    /// menteri, berita, partai, terima, ketua, pertama) need no entry here: the dictionary is
    /// consulted before anything is cut.
    static let lexicalised: [String] = [
        "pemerintah", "peserta", "penduduk", "pengadilan", "adalah",
        "kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan", "kesembilan", "kesepuluh",
    ]

    /// Spelling variants and their standard forms (KBBI), applied to the root a word reaches, so
    /// "hoax", "menganalisa" and "praktek" share a stem with "hoaks", "analisis" and "praktik".
    static let variants: [String: String] = [
        "hoax": "hoaks", "analisa": "analisis", "praktek": "praktik", "resiko": "risiko", "ijin": "izin",
        "obyek": "objek", "subyek": "subjek", "propinsi": "provinsi", "jaman": "zaman", "antri": "antre",
        "nasehat": "nasihat", "aktifitas": "aktivitas", "kwalitas": "kualitas", "sistim": "sistem",
        "apotik": "apotek", "tehnik": "teknik", "tehnologi": "teknologi", "sekedar": "sekadar",
        "kordinasi": "koordinasi", "survey": "survei", "silahkan": "silakan", "trampil": "terampil",
        // "merubah" is a frequent error for "mengubah" (the root is ubah, not rubah "fox").
        "merubah": "ubah", "dirubah": "ubah",
    ]

    /// hunspell-id entries that are derived forms of another root, which the stemmer would otherwise
    /// stop at: "pembelajaran" reaches the entry "belajar", "diketahui" the entry "ketahu". Only these:
    /// of the ~1,400 entries that stripping would reduce to another entry, nearly all are roots of their
    /// own (badan, mereka, berapa, depan, bantah, didik), so entries are roots unless listed here.
    static let derivedEntries: [String: String] = [
        "belajar": "ajar", "pelajar": "ajar", "ketahu": "tahu", "pertanda": "tanda", "mengkaji": "kaji",
    ]

    /// Every word the stemmer treats as a root besides the dictionary's: the three lists above
    /// (a variant is a root too, so its affixed forms reach it before being folded).
    static let roots: [String] = domainRoots + lexicalised + Array(variants.keys) + Array(variants.values)

    /// What a root reached is stored as (`variants` and `derivedEntries`), by the hash of the root
    /// reached (`RootWords.hash`), for lookups that allocate nothing.
    static let replacements: [UInt64: [UInt8]] = Dictionary(
        uniqueKeysWithValues: variants.merging(derivedEntries) { a, _ in a }.map {
            (RootWords.hash(Array($0.key.utf8)[...]), Array($0.value.utf8))
        })

    /// A fingerprint of the lists, for `TextAnalyzer.version`: it changes when any entry does.
    static let fingerprint: UInt64 = {
        var h: UInt64 = 0
        for word in domainRoots + lexicalised { h &+= RootWords.hash(Array(word.utf8)[...]) }
        for (variant, standard) in variants.merging(derivedEntries, uniquingKeysWith: { a, _ in a }) {
            h &+= RootWords.hash(Array((variant + ">" + standard).utf8)[...]) &* 3
        }
        return h
    }()
}
