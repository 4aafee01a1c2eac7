import Foundation
import SiaranArchive
import SiaranCore

/// Everything about one session that a search index holds, read from its files.
public struct IndexedSession: Sendable {
    public var manifest: SessionManifest
    public var agenda: Agenda?
    public var timeline: SessionTimeline
    /// The session's caption files (Siaran's own WebVTT).
    public var captions: [CaptionSource]
    /// Changes whenever a source file of the session changes.
    public var fingerprint: String

    public init(manifest: SessionManifest, agenda: Agenda?, timeline: SessionTimeline, captions: [CaptionSource], fingerprint: String) {
        self.manifest = manifest
        self.agenda = agenda
        self.timeline = timeline
        self.captions = captions
        self.fingerprint = fingerprint
    }
}

/// Narrows a search.
public struct SearchFilters: Sendable {
    public var speaker: String?
    public var topic: String?
    public var agenda: String?
    public var since: Date?
    public var until: Date?
    public var session: String?
    /// Only rows of these kinds (nil: every kind).
    public var kinds: Set<MatchKind>?
    /// Only this office's sessions (a shared catalog; an archive's own catalog holds one office).
    public var office: String?
    /// Search with the view of this office: a role that sees every office (the national team's)
    /// narrows itself to what that office may see, as for one of its users. Enforced by the catalog.
    public var viewer: String?

    public init(speaker: String? = nil, topic: String? = nil, agenda: String? = nil, since: Date? = nil, until: Date? = nil,
                session: String? = nil, kinds: Set<MatchKind>? = nil, office: String? = nil, viewer: String? = nil) {
        self.speaker = speaker
        self.topic = topic
        self.agenda = agenda
        self.since = since
        self.until = until
        self.session = session
        self.kinds = kinds
        self.office = office
        self.viewer = viewer
    }

    /// The same filters for other kinds of rows.
    public func only(_ kinds: Set<MatchKind>) -> SearchFilters {
        var copy = self
        copy.kinds = kinds
        return copy
    }

    /// The same filters within one session.
    public func within(session id: String) -> SearchFilters {
        var copy = self
        copy.session = id
        return copy
    }
}

/// One place in the archive where the query matched.
public struct SearchHit: Codable, Sendable, Equatable {
    public var session: String
    public var title: String
    /// Wall-clock start of the session.
    public var date: Date?
    /// The moment on the session clock, in seconds.
    public var seconds: Double
    /// The same as HH:MM:SS.
    public var moment: String
    public var speaker: String?
    public var agenda: String?
    /// What matched: caption, note, topic, speaker, agenda, title, description, roster.
    public var matched: String
    /// The whole matched text.
    public var text: String
    /// Part of the text around the match, matched words in «guillemets».
    public var snippet: String
    public var score: Double
    /// Set when the query's words are not all in this row: "nearby" (some in neighbouring cues, whose
    /// texts `text` then joins with " … ") and/or "session" (some in the session's own texts).
    public var spreadOver: [String]? = nil
    /// The office whose session this is (a shared catalog only).
    public var office: String? = nil
    /// Where that office serves the session's media from (its `siaran serve` address or a shared
    /// folder), when it said; a hit of another office plays from there.
    public var playFrom: String? = nil
    /// A link to that office's player at this moment, signed for the viewer by this server.
    public var link: String? = nil
    /// Set when that office's server did not answer a moment ago.
    public var officeOffline: Bool? = nil
}

extension SearchHit {
    public init(session: String, title: String, date: Date?, seconds: Double, speaker: String?, agenda: String?,
                matched: MatchKind, text: String, snippet: String, score: Double, office: String? = nil, playFrom: String? = nil) {
        self.init(session: session, title: title, date: date, seconds: seconds, moment: ClockFormat.string(seconds),
                  speaker: speaker, agenda: agenda, matched: matched.name, text: text, snippet: snippet, score: score,
                  office: office, playFrom: playFrom)
    }
}

/// What the catalog knows of an indexed session: the fingerprint of its files when indexed, and when.
public struct IndexedState: Sendable, Equatable {
    public var fingerprint: String
    public var indexedAt: Date

    public init(fingerprint: String, indexedAt: Date) {
        self.fingerprint = fingerprint
        self.indexedAt = indexedAt
    }
}

/// The archive's change marker when an index last compared itself with every session's files, and when.
public struct ArchiveScan: Sendable, Equatable {
    public var marker: String?
    public var at: Date

    public init(marker: String?, at: Date) {
        self.marker = marker
        self.at = at
    }
}
