import Foundation

/// Speaker turns suggested from the voices, and who speaks when all told.
///
/// **Who speaks at a moment** (`effectiveSpeaker(at:)`, `effectiveTurns`), strongest first:
/// 1. An officer's speaker tag (a confirmed suggestion is one) wins over the voice turn it falls in:
///    from the tag to the end of the newest run's voice turn heard at the tag (or, for a tag made in
///    a pause, the turn starting within 4 s after it), never past the officer's next speaker tag.
/// 2. Elsewhere, a suggested turn of the newest run that no officer confirmed or dismissed: its
///    person, or nobody while that voice has no name (the engine heard a voice it tells apart from
///    the named ones, so the last tagged person would be a guess).
/// 3. Elsewhere (pauses, dismissed suggestions, sessions without a voice run) the officer's tags as
///    before: the last tagged speaker until the next tag.
/// So a suggestion never overwrites an officer's tag where the tag was made, and a session without
/// `voice` events has exactly its tagged turns.
///
/// **Runs**: the newest run is the `run` of the last `voice` event in the log; earlier runs are
/// ignored. Within a run, a later event replaces the part of an earlier one it overlaps (a live pass
/// suggests its recent window again). A dismissal also hides a later run's suggestion of the same
/// person (or the same unnamed state) over mostly the same stretch, so a rerun does not ask again.
extension SessionTimeline {
    /// How long after an officer's tag made in a pause the voice turn it names may start.
    static let tagReach = 4.0
    /// Pieces of a suggestion shorter than this (after the officer's tags cut it) are dropped.
    static let shortestPiece = 0.25

    static func voiceTurns(_ voices: [SessionEvent], speakerTags: [SessionEvent], officerTurns: [Interval],
                           deleted: Set<String>, end: Double) -> (suggested: [Interval], effective: [Interval]) {
        guard let newest = voices.last else { return ([], officerTurns.filter { $0.end > $0.start }) }
        // The newest run's turns; a later event of the run replaces what it overlaps of earlier ones.
        var runTurns: [Interval] = []
        for event in voices where event.run == newest.run {
            guard let start = event.media, let until = event.until, until > start else { continue }
            runTurns = runTurns.flatMap { outside($0, start, until) }
            runTurns.append(Interval(id: event.id, value: event.value ?? "", start: start, end: until, suggested: true,
                                     voice: event.voice, similarity: event.similarity, basis: event.basis, run: event.run))
        }
        runTurns.sort { $0.start < $1.start }

        let confirmed = Set(speakerTags.compactMap(\.target))
        let dismissed = voices.filter { deleted.contains($0.id) }
        let open = runTurns.filter { turn in
            !confirmed.contains(turn.id) && !deleted.contains(turn.id) && !dismissed.contains { old in
                guard let s = old.media, let e = old.until, (old.value ?? "") == turn.value else { return false }
                return min(e, turn.end) - max(s, turn.start) > turn.duration / 2
            }
        }

        // What each officer tag protects: the voice turn it falls in.
        var protected: [(start: Double, end: Double)] = []
        for (index, tag) in speakerTags.enumerated() {
            let at = tag.media!
            let next = index + 1 < speakerTags.count ? speakerTags[index + 1].media! : max(end, at)
            let heard = runTurns.first { $0.start <= at && at < $0.end }
                ?? runTurns.first { at <= $0.start && $0.start < at + tagReach }
            let stop = min(next, heard.map { stretchEnd(of: $0, in: runTurns) } ?? at)
            if stop > at { protected.append((at, stop)) }
        }

        let suggested = open.flatMap { turn in
            protected.reduce([turn]) { pieces, range in pieces.flatMap { outside($0, range.start, range.end) } }
        }.filter { $0.duration >= shortestPiece }

        // Cut the session at every boundary and give each piece its speaker by the rule.
        var cuts = Set<Double>()
        for turn in officerTurns { cuts.insert(turn.start); cuts.insert(turn.end) }
        for range in protected { cuts.insert(range.start); cuts.insert(range.end) }
        for turn in suggested { cuts.insert(turn.start); cuts.insert(turn.end) }
        let points = cuts.sorted()
        var effective: [Interval] = []
        for (a, b) in zip(points, points.dropFirst()) where b > a {
            let middle = (a + b) / 2
            let speaker: Interval?
            if protected.contains(where: { $0.start <= middle && middle < $0.end }) {
                speaker = containing(officerTurns, middle)
            } else if let turn = containing(suggested, middle) {
                speaker = turn.value.isEmpty ? nil : turn
            } else {
                speaker = containing(officerTurns, middle)
            }
            guard var piece = speaker else { continue }
            if let last = effective.last, last.id == piece.id, last.suggested == piece.suggested, last.end == a {
                effective[effective.count - 1].end = b
                continue
            }
            piece.start = a
            piece.end = b
            effective.append(piece)
        }
        return (suggested, effective)
    }

    /// The end of the stretch of one voice that `turn` begins: the engine suggests a long turn in
    /// parts (a few seconds each), and an officer's tag on the first part names the whole stretch.
    /// Parts join while the next one is the same voice with the same name and starts within `joinGap`.
    static func stretchEnd(of turn: Interval, in turns: [Interval]) -> Double {
        guard var index = turns.firstIndex(where: { $0.id == turn.id && $0.start == turn.start }) else { return turn.end }
        var end = turns[index].end
        while index + 1 < turns.count, turns[index + 1].voice == turn.voice, turns[index + 1].value == turn.value,
              turns[index + 1].start <= end + joinGap {
            index += 1
            end = max(end, turns[index].end)
        }
        return end
    }
    /// The longest pause between two parts of one voice's stretch (the session page groups its rows
    /// of suggestions the same way, `scripts/voices.js`).
    static let joinGap = 1.5

    /// What an anonymous visitor of a public server is shown: the officers' tags only, none of the
    /// voices' unconfirmed suggestions.
    public var withoutSuggestions: SessionTimeline {
        var shown = self
        shown.suggestedTurns = []
        shown.effectiveTurns = speakerTurns.filter { $0.end > $0.start }
        return shown
    }

    /// The parts of `turn` outside `start..<end` (none, one or two pieces, same id).
    static func outside(_ turn: Interval, _ start: Double, _ end: Double) -> [Interval] {
        guard turn.start < end, start < turn.end else { return [turn] }
        var pieces: [Interval] = []
        if turn.start < start { var left = turn; left.end = start; pieces.append(left) }
        if end < turn.end { var right = turn; right.start = end; pieces.append(right) }
        return pieces
    }

    /// The interval of a time-ordered, non-overlapping list that contains `time`.
    static func containing(_ list: [Interval], _ time: Double) -> Interval? {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].start <= time { low = middle + 1 } else { high = middle }
        }
        guard low > 0, time < list[low - 1].end else { return nil }
        return list[low - 1]
    }

    /// Who was speaking at `time`, all told (the officer's tags, then the named suggestions; see the
    /// rule above). `isSuggested` says whether it is a suggestion.
    public func effectiveSpeaker(at time: Double) -> Interval? { Self.containing(effectiveTurns, time) }

    /// The suggested turn (of the newest run, still open) with this `voice` event id.
    public func suggestion(_ id: String) -> Interval? { suggestedTurns.first { $0.id == id } }

    /// Speaking time per person all told, longest first: `seconds` in all, `suggested` of it from
    /// suggestions no officer confirmed.
    public var effectiveSpeakingTime: [(name: String, seconds: Double, suggested: Double)] {
        var totals: [String: (Double, Double)] = [:]
        var order: [String] = []
        for turn in effectiveTurns {
            if totals[turn.value] == nil { order.append(turn.value) }
            totals[turn.value, default: (0, 0)].0 += turn.duration
            if turn.isSuggested { totals[turn.value, default: (0, 0)].1 += turn.duration }
        }
        return order.enumerated().map { (index: $0.offset, name: $0.element, total: totals[$0.element]!) }
            .sorted { ($0.total.0, -$0.index) > ($1.total.0, -$1.index) }
            .map { (name: $0.name, seconds: $0.total.0, suggested: $0.total.1) }
    }
}
