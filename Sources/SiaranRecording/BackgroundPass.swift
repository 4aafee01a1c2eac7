import Foundation

/// The thread skeleton the live passes of `record` share (live captions, the 30 s transcript,
/// live voices): `start` runs a body on a thread of its own; the body waits between passes with
/// `wait(seconds)`, which returns early, with true, once the recording has ended; `finish` marks
/// the recording ended and returns when the body has.
final class BackgroundPass: @unchecked Sendable {
    private let name: String
    private let condition = NSCondition()
    private var ended = false
    private var running = false

    init(name: String) {
        self.name = name
    }

    /// Runs `body` on a new thread.
    func start(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in
            body()
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// Whether the recording has ended.
    var hasEnded: Bool {
        condition.lock()
        defer { condition.unlock() }
        return ended
    }

    /// Waits `seconds` (none once the recording has ended); returns whether it has ended.
    @discardableResult
    func wait(_ seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !ended && seconds > 0 { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
        return ended
    }

    /// The recording has ended: wakes the body and returns once it has returned (at once if it
    /// never started).
    func finish() {
        condition.lock()
        ended = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}
