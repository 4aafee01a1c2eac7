import Foundation

/// One line of `sessions/<id>/events.jsonl`: a tag put on the session timeline, or a correction of an
/// earlier one. The log is append-only; corrections are new events naming the tag they change.
public struct SessionEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Who is speaking from this moment.
        case speaker
        /// Which agenda item runs from this moment.
        case agenda
        /// A topic word at this moment.
        case topic
        /// A free-text note at this moment.
        case note
        /// Correction: forget the tag `target`.
        case delete
        /// Correction: tag `target` happened at `media` instead.
        case move
        /// Correction: tag `target` has `value` (and `agendaNumber`) instead.
        case retag
        /// A change to the whole session by an admin (`value`: rename, describe, trash, restore; `note`: the details).
        case session
        /// A speaker turn suggested by Siaran from the voices (author "siaran-voices"): `media` to
        /// `until`, `value` the suggested person (nil while the voice has no name), `voice` the run's
        /// voice number, `similarity`, `basis`, `run`. The newest run replaces every earlier one.
        /// Confirmed by a `speaker` event whose `target` is its id, dismissed by a `delete` of it.
        case voice
    }

    /// Unique id ("t" + time + random), so corrections can name a tag.
    public var id: String
    public var kind: Kind
    /// The moment on the session clock, in seconds (tags and moves).
    public var media: Double?
    /// The wall-clock moment the tag refers to.
    public var wallClock: Date?
    /// Speaker name (as on the roster when it matched), agenda title, topic word or note text.
    public var value: String?
    /// For agenda tags: the item's 1-based number.
    public var agendaNumber: Int?
    /// For speaker tags: false when the name is not on the roster.
    public var onRoster: Bool?
    /// For corrections: the id of the tag being corrected.
    public var target: String?
    /// When the event was written.
    public var recordedAt: Date
    /// Who wrote it (user@host), for the history.
    public var author: String?
    /// For `session` events: what changed, as JSON (`{"from": …, "to": …}`).
    public var note: String?
    /// For `voice` events: the end of the suggested turn (session-clock seconds).
    public var until: Double?
    /// For `voice` events: the voice's 1-based number in its run ("Suara 2").
    public var voice: Int?
    /// For `voice` events named from the library: the cosine between the voice and the person's vector.
    public var similarity: Double?
    /// For `voice` events with a person: how the name was found, "tag" (an officer's tag of that
    /// voice in this session) or "library" (an enrolled voice).
    public var basis: String?
    /// For `voice` events: the diarisation run that wrote it (one id per run).
    public var run: String?

    public init(id: String = SessionEvent.newID(), kind: Kind, media: Double? = nil, wallClock: Date? = nil, value: String? = nil,
                agendaNumber: Int? = nil, onRoster: Bool? = nil, target: String? = nil, recordedAt: Date = Date(), author: String? = nil,
                until: Double? = nil, voice: Int? = nil, similarity: Double? = nil, basis: String? = nil, run: String? = nil) {
        self.id = id
        self.kind = kind
        self.media = media
        self.wallClock = wallClock
        self.value = value
        self.agendaNumber = agendaNumber
        self.onRoster = onRoster
        self.target = target
        self.recordedAt = recordedAt
        self.author = author
        self.until = until
        self.voice = voice
        self.similarity = similarity
        self.basis = basis
        self.run = run
    }

    /// A short id that sorts by time: "t" + base-36 milliseconds + 4 random base-36 digits.
    public static func newID(now: Date = Date()) -> String {
        let millis = Int64(now.timeIntervalSince1970 * 1000)
        let random = String(Int.random(in: 0..<1_679_616), radix: 36)
        return "t" + String(millis, radix: 36) + String(repeating: "0", count: 4 - random.count) + random
    }
}
