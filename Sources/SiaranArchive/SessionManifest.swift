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

/// One finished segment file.
public struct SegmentRecord: Codable, Sendable, Equatable {
    public var sequence: Int
    public var file: String
    /// Start on the session clock, in seconds.
    public var mediaStart: Double
    public var duration: Double
    public var wallClockStart: Date
    public var bytes: Int64
    /// First segment after a gap or a change of stream parameters.
    public var discontinuity: Bool
    /// fMP4: size of the init section at the start of the file.
    public var initBytes: Int64?

    public init(sequence: Int, file: String, mediaStart: Double, duration: Double, wallClockStart: Date,
                bytes: Int64, discontinuity: Bool, initBytes: Int64? = nil) {
        self.sequence = sequence
        self.file = file
        self.mediaStart = mediaStart
        self.duration = duration
        self.wallClockStart = wallClockStart
        self.bytes = bytes
        self.discontinuity = discontinuity
        self.initBytes = initBytes
    }

    /// Wall-clock end.
    public var wallClockEnd: Date { wallClockStart.addingTimeInterval(duration) }
    /// End on the session clock.
    public var mediaEnd: Double { mediaStart + duration }
}

/// The segment a recorder was writing when the manifest was last saved.
public struct OpenSegmentRecord: Codable, Sendable, Equatable {
    public var sequence: Int
    public var file: String
    public var mediaStart: Double
    public var wallClockStart: Date
    public var discontinuity: Bool

    public init(sequence: Int, file: String, mediaStart: Double, wallClockStart: Date, discontinuity: Bool) {
        self.sequence = sequence
        self.file = file
        self.mediaStart = mediaStart
        self.wallClockStart = wallClockStart
        self.discontinuity = discontinuity
    }
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
