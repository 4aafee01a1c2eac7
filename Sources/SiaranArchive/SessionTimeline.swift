import Foundation

/// The tags of a session turned into what a reader wants: speaker turns and agenda items as
/// intervals (each lasts until the next of its kind, or the end), topics and notes as moments.
/// Corrections (delete, move, retag) are applied in log order. Speaker turns suggested from the
/// voices (`voice` events) are kept apart in `suggestedTurns`; `effectiveTurns` merges them with the
/// officer's tags by the rule in `SessionTimeline+Voices.swift`.
public struct SessionTimeline: Codable, Sendable, Equatable {
    /// A stretch of the session during which one speaker spoke or one agenda item ran.
    public struct Interval: Codable, Sendable, Equatable {
        /// The id of the tag that started it (for a suggested turn: the `voice` event's id).
        public var id: String
        /// The person or agenda title; empty for a suggested voice that has no name yet.
        public var value: String
        public var agendaNumber: Int?
        public var onRoster: Bool?
        /// Session-clock seconds.
        public var start: Double
        public var end: Double
        /// True for a turn suggested from the voices; absent (nil) for the officer's tags.
        public var suggested: Bool?
        /// Suggested turns: the voice's number in its run, the library similarity, the basis of the
        /// name ("tag" | "library") and the run id (absent for the officer's tags).
        public var voice: Int?
        public var similarity: Double?
        public var basis: String?
        public var run: String?
        public var duration: Double { end - start }
        /// Whether this turn is a suggestion the officer has not confirmed.
        public var isSuggested: Bool { suggested == true }
    }

    /// A topic or a note at a moment.
    public struct Moment: Codable, Sendable, Equatable {
        public var id: String
        public var value: String
        public var at: Double
    }

    public var speakerTurns: [Interval] = []
    public var agendaItems: [Interval] = []
    public var topics: [Moment] = []
    public var notes: [Moment] = []
    /// The newest voice run's suggested turns that no officer confirmed or dismissed, in time order,
    /// without the parts an officer's tag covers (named or not: `value` is empty for an unnamed voice).
    public var suggestedTurns: [Interval] = []
    /// Who speaks when, all told: the officer's tags and the named suggestions by the rule of
    /// `SessionTimeline+Voices.swift`, in time order, never overlapping.
    public var effectiveTurns: [Interval] = []

    /// Builds the timeline from the event log of a session whose media ends at `end` seconds.
    public init(events: [SessionEvent], end: Double) {
        var tags: [String: SessionEvent] = [:]
        var order: [String] = []
        var voices: [SessionEvent] = []
        var deleted: Set<String> = []
        for event in events {
            switch event.kind {
            case .speaker, .agenda, .topic, .note:
                if tags[event.id] == nil { order.append(event.id) }
                tags[event.id] = event
            case .voice:
                voices.append(event)
            case .delete:
                if let target = event.target { tags[target] = nil; deleted.insert(target) }
            case .move:
                if let target = event.target, let media = event.media { tags[target]?.media = media }
            case .retag:
                if let target = event.target {
                    if let value = event.value { tags[target]?.value = value }
                    if let number = event.agendaNumber { tags[target]?.agendaNumber = number }
                    if let onRoster = event.onRoster { tags[target]?.onRoster = onRoster }
                }
            case .session:
                break
            }
        }
        let live = order.compactMap { tags[$0] }.filter { $0.media != nil }
            .enumerated().sorted { ($0.element.media!, $0.offset) < ($1.element.media!, $1.offset) }.map(\.element)
        let speakerTags = live.filter { $0.kind == .speaker }
        speakerTurns = Self.intervals(speakerTags, end: end)
        (suggestedTurns, effectiveTurns) = Self.voiceTurns(voices, speakerTags: speakerTags, officerTurns: speakerTurns,
                                                           deleted: deleted, end: end)
        agendaItems = Self.intervals(live.filter { $0.kind == .agenda }, end: end)
        topics = live.filter { $0.kind == .topic }.map { Moment(id: $0.id, value: $0.value ?? "", at: $0.media!) }
        notes = live.filter { $0.kind == .note }.map { Moment(id: $0.id, value: $0.value ?? "", at: $0.media!) }
    }

    private static func intervals(_ tags: [SessionEvent], end: Double) -> [Interval] {
        var result: [Interval] = []
        for (index, tag) in tags.enumerated() {
            let start = tag.media!
            let stop = index + 1 < tags.count ? tags[index + 1].media! : max(end, start)
            if let last = result.last, last.value == tag.value, last.agendaNumber == tag.agendaNumber {
                result[result.count - 1].end = stop
                continue
            }
            result.append(Interval(id: tag.id, value: tag.value ?? "", agendaNumber: tag.agendaNumber, onRoster: tag.onRoster,
                                   start: start, end: stop))
        }
        return result.filter { $0.end > $0.start || $0.start == end }
    }

    /// Who was speaking at `time`.
    public func speaker(at time: Double) -> Interval? { speakerTurns.last { $0.start <= time && time < $0.end } }
    /// Which agenda item ran at `time`.
    public func agendaItem(at time: Double) -> Interval? { agendaItems.last { $0.start <= time && time < $0.end } }

    /// Total speaking time per speaker, longest first.
    public var speakingTime: [(name: String, seconds: Double)] {
        var totals: [String: Double] = [:]
        var firstSeen: [String: Int] = [:]
        for (index, turn) in speakerTurns.enumerated() {
            totals[turn.value, default: 0] += turn.duration
            if firstSeen[turn.value] == nil { firstSeen[turn.value] = index }
        }
        return totals.map { ($0.key, $0.value) }.sorted { ($0.seconds, -firstSeen[$0.name]!) > ($1.seconds, -firstSeen[$1.name]!) }
    }
}

extension SessionManifest {
    /// The session-clock moment that was live at wall-clock `date`, or nil when it lies before the
    /// recording or after its end. A moment inside a gap maps to where the gap sits.
    public func mediaTime(at date: Date) -> Double? {
        if let segment = segments.last(where: { $0.wallClockStart <= date }) {
            if date < segment.wallClockEnd { return segment.mediaStart + date.timeIntervalSince(segment.wallClockStart) }
            if let open = openSegment, date >= open.wallClockStart {
                return open.mediaStart + date.timeIntervalSince(open.wallClockStart)
            }
            if let next = segments.first(where: { $0.wallClockStart > date }) { return next.mediaStart }
            // After the last finished segment: still live (recording) or just past the end.
            if state == .recording { return segment.mediaEnd + min(date.timeIntervalSince(segment.wallClockEnd), targetSegmentDuration * 2) }
            return date.timeIntervalSince(segment.wallClockEnd) < 1 ? segment.mediaEnd : nil
        }
        if let open = openSegment, date >= open.wallClockStart.addingTimeInterval(-1) {
            return max(open.mediaStart, open.mediaStart + date.timeIntervalSince(open.wallClockStart))
        }
        return nil
    }

    /// The end of the recorded media on the session clock (including the segment being written).
    public var mediaEnd: Double {
        let finished = segments.last?.mediaEnd ?? 0
        if state == .recording, let open = openSegment {
            return max(finished, open.mediaStart + Date().timeIntervalSince(open.wallClockStart))
        }
        return finished
    }
}
