import SiaranSearch

// A search's probes of cues often ask the same words: exactly and by stem, in captions and in
// transcripts, capped and session by session. When those words are in few rows (the vocabulary's
// count of the rarest one bounds an AND's or a phrase's matches), the statement reads their rows
// once through the word index (`WITH ... AS MATERIALIZED`) and every such arm reads that set:
// otherwise each arm walks the word index again, all of a frequent word's postings included (a GIN
// scan cannot be kept to one session's rows; session-by-session arms test their rows instead,
// `PostgresSearchPairs`). A probe by exact forms reads the set of its words by stem, which holds all of
// its rows (an exact form is also indexed as its stem at the same position), with a column saying
// which rows match exactly. Frequent words alone (thousands of matches and more) keep their reads,
// newest first, since reading all of their matches is what those reads avoid.
extension PostgresCatalog {
    /// At most how many rows a set read once may hold (as a capped probe's widest read).
    static let sharedMatches = maximumScanned

    /// The sets of matching rows read once for these probes, and which set (and column) each reads.
    struct SharedSets {
        struct Set {
            var name: String
            /// The tsquery read through the index; the tsqueries of exact probes checked on its rows.
            var tsquery: String
            var exact: [String] = []
            var kinds = Swift.Set<Int>()
            var scope: CandidateScope
        }

        var sets: [Set] = []
        /// Probe number → (set index, the column that tells its rows: nil when all are).
        var reads: [Int: (set: Int, column: String?)] = [:]

        struct Key: Hashable {
            var tsquery: String
            var scope: CandidateScope
        }

        /// `probes`: each probe (its number) with its own tsquery and its words' tsquery by stem.
        init(_ probes: [(number: Int, probe: CandidateProbe, own: String, stems: String)]) {
            // Only cues: the other rows are a few per session, read through `entry_tokens_fields`.
            let cues = probes.filter { !$0.probe.kinds.isEmpty && $0.probe.kinds.isSubset(of: [.caption, .transcript]) }
            func few(_ probe: CandidateProbe) -> Bool { probe.matches.map { $0 <= PostgresCatalog.sharedMatches } == true }
            var index: [Key: Int] = [:]
            func set(_ tsquery: String, _ scope: CandidateScope) -> Int {
                let key = Key(tsquery: tsquery, scope: scope)
                if let i = index[key] { return i }
                sets.append(Set(name: "shared_\(sets.count)", tsquery: tsquery, scope: scope))
                index[key] = sets.count - 1
                return sets.count - 1
            }
            // Sets by stem first: the probes by stem with few matches.
            var byStem: [Key: Int] = [:]
            for (number, probe, own, _) in cues where !probe.exact && few(probe) {
                let i = set(own, probe.scope)
                byStem[Key(tsquery: own, scope: probe.scope)] = i
                sets[i].kinds.formUnion(probe.kinds.map(\.rawValue))
                reads[number] = (i, nil)
            }
            // Exact probes: within their words' set by stem when there is one, else a set of their own.
            for (number, probe, own, stems) in cues where probe.exact && few(probe) {
                if let i = byStem[Key(tsquery: stems, scope: probe.scope)] {
                    var column = sets[i].exact.firstIndex(of: own)
                    if column == nil { sets[i].exact.append(own); column = sets[i].exact.count - 1 }
                    sets[i].kinds.formUnion(probe.kinds.map(\.rawValue))
                    reads[number] = (i, "exact_\(column!)")
                } else {
                    let i = set(own, probe.scope)
                    sets[i].kinds.formUnion(probe.kinds.map(\.rawValue))
                    reads[number] = (i, nil)
                }
            }
        }
    }
}
