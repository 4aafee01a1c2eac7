import Dispatch
import Foundation
import SiaranMedia
import Synchronization

/// Turns SIGINT/SIGTERM into an orderly stop: the first asks the recorder to finish the current
/// segment and close the session; the second abandons the segment being written and stops at once;
/// a third exits the process on the spot (the archive stays recoverable).
public final class StopControl: Sendable {
    /// Shared with every blocking libav call of the recorder, so a stop reaches them.
    public let interrupt = InterruptControl()
    private let requests = Atomic<Int>(0)

    public init() {}

    /// How many stop requests arrived (0: keep going, 1: finish cleanly, 2+: abandon now).
    public var level: Int { requests.load(ordering: .sequentiallyConsistent) }

    /// Requests a stop, as a signal would.
    public func requestStop() {
        let count = requests.add(1, ordering: .sequentiallyConsistent).newValue
        interrupt.stop()
        if count >= 3 { _exit(130) }
    }

    /// Routes SIGINT and SIGTERM to `requestStop()`, and makes the recorder outlive its readers: a
    /// closed stdout or log pipe (SIGPIPE: writes then fail with EPIPE, which the console ignores) and
    /// a terminal hang-up (SIGHUP) do not end the recording. Call once, from the main thread.
    public func installSignalHandlers() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in requestStop() }
            source.resume()
            retainedSignalSources.append(source)
        }
    }

    /// Sleeps up to `seconds`, waking early when a stop is requested.
    public func sleep(_ seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while level == 0, Date() < end { usleep(20_000) }
    }
}

/// Dispatch sources live as long as they are referenced; installed once from the main thread.
nonisolated(unsafe) private var retainedSignalSources: [DispatchSourceSignal] = []
