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
//
// The same holds for a probe of several words with no cap (a page of the newest matches): the planner
// cannot count a pair's or a phrase's matches, guesses few, and reads all of them through the word index
// to sort them ("pemangku kepentingan" at 5M: 50,000 matches, 70-100 ms an arm, four arms a search).
// Its first read tests the newest `newestRowsRead` rows one by one instead (1-4 ms when one row in a
// hundred matches, 15-27 ms for the whole bound); when fewer than a page match there, the words are
// rare together and the wide read takes their matches from the word index, as above.
extension PostgresCatalog {
    /// Rows (of the probe's kinds) the first read of an uncapped probe of several words tests, newest first.
    static let newestRowsRead = 20_000

    /// Whether a probe asks several words at once (two words or more, a phrase): its matches may be far
    /// fewer than its rarest word's rows.
    static func combinesWords(_ probe: CandidateProbe) -> Bool {
        probe.terms.count > 1 || !probe.phrases.isEmpty
    }
}
