import SiaranSearch

// Two words or a phrase whose rarest word is in more rows than a shared match set holds
// (`sharedMatches`; "informasi pemangku" at 5M cues: 50,000 rows of "pemangku") are read session by
// session like a frequent word, each session's rows tested as they are read (`ts_match_vq`), so that
// no frequent word's postings are walked once per session. How many rows hold them together is not
// known beforehand (the vocabulary counts words, not pairs): when their first read, of the newest
// sessions, came up short and no cap cut it, they are rare together, and the wide read takes their
// matches from the word index once (it ANDs the words' postings), newest first and capped as a frequent
// word's read, instead of testing every row of up to `maximumSessions` sessions. (That read covers all
// sessions in scope, not only the newest `maximumSessions`: beyond 2,000 sessions it may find more.)
extension PostgresCatalog {
    /// Whether a probe asks several words at once (two words or more, a phrase): its matches may be far
    /// fewer than its rarest word's rows.
    static func combinesWords(_ probe: CandidateProbe) -> Bool {
        probe.terms.count > 1 || !probe.phrases.isEmpty
    }
}
