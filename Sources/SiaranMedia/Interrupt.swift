import CFFmpeg
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Lets another thread stop a blocking libav call, and bounds how long any one call may block.
///
/// libav polls `AVIOInterruptCB` while it waits on the network; this is its opaque state.
/// Thread-safe: the deadline and the stop flag are atomics.
public final class InterruptControl: Sendable {
    private let deadlineNanos = Atomic<UInt64>(UInt64.max)
    private let stopped = Atomic<Bool>(false)
    /// `LibavLogging.playlistRestarts` when the current connection began.
    private let restartsAtConnection = Atomic<Int>(0)

    public init() {}

    /// Makes every current and future blocking call return as soon as possible.
    public func stop() { stopped.store(true, ordering: .sequentiallyConsistent) }

    /// Whether `stop()` was called.
    public var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Allows the next blocking call at most `seconds` (nil: no limit).
    public func arm(seconds: Double?) {
        guard let seconds else { deadlineNanos.store(UInt64.max, ordering: .relaxed); return }
        deadlineNanos.store(Self.now() &+ UInt64(max(0, seconds) * 1e9), ordering: .relaxed)
    }

    /// Starts watching a new connection for a live HLS playlist that starts over.
    public func beginConnection() {
        restartsAtConnection.store(LibavLogging.playlistRestarts.load(ordering: .sequentiallyConsistent), ordering: .sequentiallyConsistent)
    }

    /// True once the deadline passed or `stop()` was called, or once the connection's live HLS
    /// playlist started over (libav would wait, silent, for the old sequence number to come round).
    public var shouldInterrupt: Bool {
        isStopped || Self.now() >= deadlineNanos.load(ordering: .relaxed) || playlistStartedOver
    }

    /// Whether the connection's live HLS playlist's media sequence went back (an encoder restarted).
    public var playlistStartedOver: Bool {
        LibavLogging.playlistRestarts.load(ordering: .sequentiallyConsistent) != restartsAtConnection.load(ordering: .sequentiallyConsistent)
    }

    /// Whether the last interruption came from the deadline rather than from `stop()`.
    public var deadlinePassed: Bool { Self.now() >= deadlineNanos.load(ordering: .relaxed) }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    var callback: AVIOInterruptCB {
        AVIOInterruptCB(callback: interruptCallback, opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}

private let interruptCallback: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { opaque in
    guard let opaque else { return 0 }
    return Unmanaged<InterruptControl>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt ? 1 : 0
}
