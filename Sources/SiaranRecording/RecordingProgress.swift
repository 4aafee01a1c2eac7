import Foundation
import SiaranCore

/// What a recorder is doing now, reported every half second or so (a terminal shows it as one status
/// line, a server as the recording's state).
public enum RecordingProgress: Sendable, CustomStringConvertible {
    /// Waiting for a source that is not live yet (`--wait`).
    case waitingToStart(source: String, reason: String, waited: Double, limit: Double)
    /// Trying to get a lost source back.
    case reconnecting(source: String, attempt: Int, withoutMedia: Double, lastError: String)
    /// Recording (or importing) media.
    case recording(Status)

    public struct Status: Sendable {
        public var isImport: Bool
        /// Wall-clock seconds since recording began.
        public var elapsed: Double
        /// Media seconds on the session clock.
        public var media: Double
        public var bitsPerSecond: Double
        public var segments: Int
        public var reconnects: Int
        public var bytesOnDisk: Int64
    }

    public var description: String {
        switch self {
        case let .waitingToStart(source, reason, waited, limit):
            return "waiting for \(source) to start (\(reason)); \(Format.clock(waited)) of \(Format.clock(limit))"
        case let .reconnecting(source, attempt, withoutMedia, lastError):
            return "reconnecting to \(source): attempt \(attempt), \(Format.clock(withoutMedia)) without media (\(lastError))"
        case let .recording(s):
            let head = s.isImport ? "importing \(Format.clock(s.media))" : "● REC \(Format.clock(s.elapsed))"
            return "\(head) · \(Format.bitrate(s.bitsPerSecond)) · \(s.segments) segments · \(s.reconnects) reconnects · \(Format.bytes(s.bytesOnDisk))"
        }
    }
}
