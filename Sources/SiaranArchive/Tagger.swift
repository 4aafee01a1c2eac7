import Foundation
import SiaranCore

/// Why a tag was refused.
public enum TagError: Error, CustomStringConvertible, Sendable {
    case noRecordingSession
    case severalRecording([String])
    case beforeRecording
    case beyondRecording(at: Double, end: Double)
    case unknownAgendaItem(String, available: [String])
    case unknownSpeaker(String, roster: [String])
    case ambiguousSpeaker(String, matches: [String])
    case noSuchTag(String)
    case empty(String)

    public var description: String {
        switch self {
        case .noRecordingSession:
            return "no session is being recorded now; name the session (`siaran tag SESSION …`, see `siaran sessions`)"
        case let .severalRecording(ids):
            return "several sessions are being recorded: \(ids.joined(separator: ", ")); name one (`siaran tag SESSION …`)"
        case .beforeRecording:
            return "that moment is before the recording started"
        case let .beyondRecording(at, end):
            return "\(ClockFormat.string(at)) is beyond the end of the recording (\(ClockFormat.string(end)))"
        case let .unknownAgendaItem(typed, available):
            let list = available.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "; ")
            return available.isEmpty ? "the session has no agenda; attach one with `siaran agenda SESSION FILE`"
                : "no agenda item '\(typed)'; the agenda is: \(list)"
        case let .unknownSpeaker(name, roster):
            return "'\(name)' is not on the roster (\(roster.joined(separator: ", "))); drop --strict to tag them anyway"
        case let .ambiguousSpeaker(name, matches):
            return "'\(name)' could be \(matches.joined(separator: " or ")); type more of the name"
        case let .noSuchTag(id):
            return "no tag with id \(id) in this session; `siaran show SESSION` lists tag ids"
        case let .empty(what):
            return "the \(what) is empty"
        }
    }

}

/// Puts tags on a session's timeline and corrects them, through its append-only event log.
public struct Tagger: Sendable {
    public let archive: Archive

    public init(archive: Archive) { self.archive = archive }

    /// Sessions a live recorder is writing now.
    public func recordingSessions() -> [String] {
        archive.lockedSessionIDs().filter { id in
            SessionLock.isHeld(path: archive.lockPath(of: id)) && (try? archive.loadManifest(id).state) == .recording
        }
    }

    /// The session to tag: `query` if given, else the one being recorded now.
    public func session(_ query: String?) throws -> String {
        if let query { return try archive.resolve(query) }
        let live = recordingSessions()
        if live.isEmpty { throw TagError.noRecordingSession }
        if live.count > 1 { throw TagError.severalRecording(live) }
        return live[0]
    }

    /// Tags `session` with a speaker, agenda item, topic or note, at session time `at` (seconds) or,
    /// without it, at the moment `now` that is live. Returns the event written and any warnings.
    /// `target` makes a speaker tag the confirmation of that voice suggestion (see `confirmSuggestion`).
    public func tag(session id: String, kind: SessionEvent.Kind, value rawValue: String, at: Double? = nil,
                    strict: Bool = false, now: Date = Date(), author: String? = nil,
                    target: String? = nil) throws -> (event: SessionEvent, warnings: [String]) {
        let value = rawValue.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw TagError.empty(kind.rawValue) }
        let manifest = try archive.loadManifest(id)
        let agenda = archive.loadAgenda(id) ?? Agenda()
        let media = try moment(manifest, at: at, now: now)
        var event = SessionEvent(kind: kind, media: media, wallClock: wallClock(manifest, media: media) ?? now, value: value,
                                 target: target, recordedAt: now, author: author ?? Self.author)
        var warnings: [String] = []
        switch kind {
        case .speaker:
            switch agenda.person(named: value) {
            case let .speaker(person), let .participant(person):
                event.value = person.name
                event.onRoster = true
            case let .ambiguous(names):
                throw TagError.ambiguousSpeaker(value, matches: names)
            case .unknown:
                if strict { throw TagError.unknownSpeaker(value, roster: agenda.speakers.map(\.name)) }
                event.onRoster = false
                warnings.append(agenda.speakers.isEmpty ? "the session has no roster; '\(value)' is tagged as typed"
                                                        : "'\(value)' is not on the roster; tagged as typed")
            }
        case .agenda:
            guard let (number, item) = agenda.agendaItem(value) else {
                throw TagError.unknownAgendaItem(value, available: agenda.agenda.map(\.title))
            }
            event.value = item.title
            event.agendaNumber = number
        case .topic, .note, .delete, .move, .retag, .session, .voice:
            break
        }
        try EventLog(path: archive.eventsPath(of: id)).append(event)
        archive.noteChange()
        return (event, warnings)
    }

    /// Appends a correction of tag `target`: delete it, move it to `moveTo`, or change its value.
    public func correct(session id: String, target: String, kind: SessionEvent.Kind, moveTo: Double? = nil,
                        newValue: String? = nil, now: Date = Date(), author: String? = nil) throws -> SessionEvent {
        let (events, _) = EventLog(path: archive.eventsPath(of: id)).read()
        guard let original = events.last(where: { $0.id == target && $0.media != nil }) else { throw TagError.noSuchTag(target) }
        var event = SessionEvent(kind: kind, target: target, recordedAt: now, author: author ?? Self.author)
        switch kind {
        case .move:
            let manifest = try archive.loadManifest(id)
            event.media = try moment(manifest, at: moveTo, now: now)
        case .retag:
            let agenda = archive.loadAgenda(id) ?? Agenda()
            guard let newValue, !newValue.trimmingCharacters(in: .whitespaces).isEmpty else { throw TagError.empty("new value") }
            event.value = newValue
            if original.kind == .agenda {
                guard let (number, item) = agenda.agendaItem(newValue) else {
                    throw TagError.unknownAgendaItem(newValue, available: agenda.agenda.map(\.title))
                }
                event.value = item.title
                event.agendaNumber = number
            } else if original.kind == .speaker {
                switch agenda.person(named: newValue) {
                case let .speaker(person), let .participant(person): event.value = person.name; event.onRoster = true
                case let .ambiguous(names): throw TagError.ambiguousSpeaker(newValue, matches: names)
                case .unknown: event.onRoster = false
                }
            }
        default:
            break
        }
        try EventLog(path: archive.eventsPath(of: id)).append(event)
        archive.noteChange()
        return event
    }

    /// The session timeline as it stands.
    public func timeline(of id: String) throws -> SessionTimeline {
        let manifest = try archive.loadManifest(id)
        return SessionTimeline(events: EventLog(path: archive.eventsPath(of: id)).read().events, end: manifest.mediaEnd)
    }

    private func moment(_ manifest: SessionManifest, at: Double?, now: Date) throws -> Double {
        let end = manifest.mediaEnd
        if let at {
            guard at >= 0 else { throw TagError.beforeRecording }
            guard at <= end + 0.5 else { throw TagError.beyondRecording(at: at, end: end) }
            return at
        }
        guard let media = manifest.mediaTime(at: now) else {
            if let start = manifest.startedAt ?? manifest.openSegment?.wallClockStart, now < start { throw TagError.beforeRecording }
            throw TagError.beyondRecording(at: (manifest.endedAt.map { now.timeIntervalSince($0) } ?? 0) + end, end: end)
        }
        return media
    }

    private func wallClock(_ manifest: SessionManifest, media: Double) -> Date? {
        if let segment = manifest.segments.last(where: { $0.mediaStart <= media }) {
            return segment.wallClockStart.addingTimeInterval(media - segment.mediaStart)
        }
        return manifest.openSegment.map { $0.wallClockStart.addingTimeInterval(media - $0.mediaStart) }
    }

    /// "user@host" of this process, for the history of who wrote what.
    public static var author: String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
