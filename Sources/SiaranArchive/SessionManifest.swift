import Foundation
import SiaranCore

/// Where a session is in its life.
public enum SessionState: String, Codable, Sendable {
    /// A recorder is (or was, until a crash is noticed) writing it.
    case recording
    /// Finished normally.
    case complete
    /// The recorder died; recovery closed what it left.
    case interrupted
}

/// How the media came in.
public enum SessionKind: String, Codable, Sendable {
    case live
    case imported
}

/// A stretch of wall-clock time when the source delivered nothing.
public struct GapRecord: Codable, Sendable, Equatable {
    /// When media stopped arriving.
    public var wallClockStart: Date
    /// How long until media arrived again, in seconds.
    public var duration: Double
    /// Where on the session clock the gap sits.
    public var mediaPosition: Double
    /// Why: "source ended", "stalled", the read error…
    public var reason: String

    public init(wallClockStart: Date, duration: Double, mediaPosition: Double, reason: String) {
        self.wallClockStart = wallClockStart
        self.duration = duration
        self.mediaPosition = mediaPosition
        self.reason = reason
    }
}

/// `sessions/<id>/session.json`: everything known about one recorded session. The source of truth
/// together with the media and event files; written atomically.
public struct SessionManifest: Codable, Sendable, Equatable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var id: String
    public var title: String
    public var kind: SessionKind
    /// The source URL or file, with credentials redacted.
    public var source: String
    public var state: SessionState
    public var createdAt: Date
    /// Wall-clock time of the first recorded frame.
    public var startedAt: Date?
    /// Wall-clock end of the last recorded frame.
    public var endedAt: Date?
    public var segmentFormat: String
    public var targetSegmentDuration: Double
    public var streams: [StreamDescription]
    public var segments: [SegmentRecord]
    public var gaps: [GapRecord]
    public var openSegment: OpenSegmentRecord?
    public var reconnects: Int
    /// Why recording ended ("stopped by signal", "source ended", "disk full", …).
    public var stopReason: String?
    /// Things a user should know about this recording (skipped data, salvaged segments…).
    public var warnings: [String]

    public init(id: String, title: String, kind: SessionKind, source: String, createdAt: Date,
                segmentFormat: String, targetSegmentDuration: Double) {
        formatVersion = Self.currentFormatVersion
        self.id = id
        self.title = title
        self.kind = kind
        self.source = source
        state = .recording
        self.createdAt = createdAt
        self.segmentFormat = segmentFormat
        self.targetSegmentDuration = targetSegmentDuration
        streams = []
        segments = []
        gaps = []
        reconnects = 0
        warnings = []
    }

    /// Total recorded media, in seconds.
    public var mediaDuration: Double { segments.reduce(0) { $0 + $1.duration } }
    /// Total bytes of media on disk.
    public var mediaBytes: Int64 { segments.reduce(0) { $0 + $1.bytes } }
}
