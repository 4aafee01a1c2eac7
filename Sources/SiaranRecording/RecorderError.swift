import SiaranCore
import SiaranMedia

/// Why a recording could not start or had to stop.
public enum RecorderError: Error, CustomStringConvertible {
    case neverStarted(source: String, waited: Double, lastError: String)
    case stoppedBeforeStart
    case writeFailed(sessionID: String, kept: Int, underlying: MediaError)

    public var description: String {
        switch self {
        case let .neverStarted(source, waited, lastError):
            return "\(source) did not start within \(Format.clock(waited)) (last attempt: \(lastError))"
        case .stoppedBeforeStart:
            return "stopped before the stream started; nothing was recorded"
        case let .writeFailed(id, kept, underlying):
            return "\(underlying); recording stopped. Session \(id) keeps its \(kept) finished segments."
        }
    }
}
