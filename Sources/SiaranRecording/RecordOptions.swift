import SiaranCore
import SiaranArchive
import SiaranMedia

/// What `siaran record` and `siaran import` were asked to do.
public struct RecordOptions: Sendable {
    /// A URL (record) or a file path (import).
    public var source: String
    public var title: String?
    public var format: SegmentFormat = .ts
    /// Target segment length in seconds.
    public var segmentDuration: Double = 6
    /// Keep polling a source that is not live yet for this long (seconds); nil: fail at once.
    public var wait: Double?
    /// Stop after this much recording (seconds, wall clock for live; media time for import).
    public var stopAfter: Double?
    /// Wait for a client to push (RTMP push, SRT/TCP listener).
    public var listen = false
    /// Give up after this long of continuous failure to reconnect (seconds).
    public var giveUpAfter: Double = 600
    /// A source that delivers nothing for this long counts as stalled (seconds).
    public var readTimeout: Double = 10
    /// On a full disk, wait for space and resume (recording a gap) instead of stopping.
    public var waitOnDiskFull = false
    /// The event's agenda/roster, stored with the session.
    public var agenda: Agenda?
    /// Which variant of a source offered in several qualities to record.
    public var quality: QualityChoice = .best
    /// HTTP headers ("Name: value") and User-Agent for sources that need them (never stored).
    public var headers: [String] = []
    public var userAgent: String?
    /// Read a file at full speed, ending at its end (import), instead of recording a live source.
    public var isImport = false

    public init(source: String) {
        self.source = source
    }
}

/// How a recording ended.
public struct RecordResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Stopped by the user, by --stop-after, or at the end of an imported file.
        case finished
        /// The source stayed unreachable for longer than the give-up limit.
        case sourceLost
    }

    public var sessionID: String
    public var outcome: Outcome
    public var segments: Int
    public var mediaDuration: Double
    public var bytes: Int64
    public var gaps: Int
    public var warnings: [String]
}
