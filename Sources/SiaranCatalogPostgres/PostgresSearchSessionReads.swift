import SiaranSearch

// Two words or a phrase read session by session (`PostgresSearchPairs`) are asked by up to four capped
// probes of one search: exactly and by stem, in captions and in transcripts. Each read its newest
// sessions' rows one by one, testing its words, and words that are seldom together in a session ("informasi
// pemangku": one cue in 300) made each read whole sessions: four reads of ~75,000 rows at 5M cues, 15–21 ms
// each, most of a two-word search's time.
//
// The probes of one kind (captions, or transcripts) now share one read (`WITH … AS MATERIALIZED`): each
// session of their session list, its newest `each` rows of that kind holding the words by stem (an exact
// match holds them by stem too), each row marked with whether it holds them exactly. A probe takes a
// session's rows from that read when the read holds all it needs: the session had fewer matches than the
// read took (it read them all), or all of the read's rows are the probe's (exact ones, for a probe by
// exact forms). Otherwise (an inflected form among the newest) the probe reads that session itself, as
// before: the same rows either way. Tried and dropped: one read of both kinds (a session holding both
// sent the probes of one kind to their own reads: ~8 sessions of 50 each, 7-13 ms a probe at 5M), and
// reading deeper than `each` (every session read further for the few whose newest rows fall short:
// four times `each` made "pemangku kepentingan", one cue in a hundred, read 90 sessions × 1,600 rows
// instead of 200 × 400).
extension PostgresCatalog {
    /// Whether a probe of cues has words dense enough to read session by session (a prefix: yes): when
    /// reading `boundedSessions` sessions' newest `each` matches (about `total / matches` rows for
    /// each match) reads fewer rows than the word index would hand over (`matches`).
    static func dense(_ probe: CandidateProbe, each: Int) -> Bool {
        // Only cues: the other rows are a few per session, found through `entry_tokens_fields`.
        guard probe.kinds.isSubset(of: [.caption, .transcript]) else { return false }
        guard let matches = probe.matches else { return true }
        guard matches > boundedScan, let total = probe.total else { return false }
        return Double(boundedSessions * each) * Double(total) / Double(matches) <= Double(matches)
    }

    /// The probes that share a session-by-session read, grouped by what they read.
    struct SessionReads {
        struct Group {
            var name: String
            /// The words by stem (every member's rows hold them), the read's scope and labels, each member's `each`.
            var stems: String
            var scope: CandidateScope
            var each: Int
            /// The exact tsqueries marked on the read's rows (column `exact_N`).
            var exact: [String] = []
            /// The members' kinds (`MatchKind` numbers), as a mask each: one session list per mask.
            var masks: [Int] = []
        }

        var groups: [Group] = []
        /// Probe number → (group index, the exact column its rows need (nil: every row), its kinds' mask).
        var reads: [Int: (group: Int, column: String?, mask: Int)] = [:]

        /// `probes`: the capped probes read session by session (with their own tsquery, their words'
        /// tsquery by stem, and the rows of each session they read); only groups of two or more share.
        init(_ probes: [(number: Int, probe: CandidateProbe, own: String, stems: String, each: Int)]) {
            struct Key: Hashable {
                var stems: String
                var scope: CandidateScope
                var each: Int
            }
            var byKey: [Key: [(number: Int, probe: CandidateProbe, own: String)]] = [:]
            var order: [Key] = []
            for (number, probe, own, stems, each) in probes where PostgresCatalog.combinesWords(probe) {
                let key = Key(stems: stems, scope: probe.scope, each: each)
                if byKey[key] == nil { order.append(key) }
                byKey[key, default: []].append((number, probe, own))
            }
            for key in order {
                guard let members = byKey[key], members.count > 1 else { continue }
                var group = Group(name: "session_read_\(groups.count)", stems: key.stems, scope: key.scope, each: key.each)
                for (number, probe, own) in members {
                    let mask = probe.kinds.map(\.rawValue).reduce(0) { $0 | 1 << $1 }
                    if !group.masks.contains(mask) { group.masks.append(mask) }
                    var column: String?
                    if probe.exact, own != key.stems {
                        if !group.exact.contains(own) { group.exact.append(own) }
                        column = "exact_\(group.exact.firstIndex(of: own)!)"
                    }
                    reads[number] = (groups.count, column, mask)
                }
                groups.append(group)
            }
        }
    }
}
