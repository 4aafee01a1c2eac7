import Foundation
import Testing

/// Runs a suite's tests on threads of their own instead of Swift concurrency's cooperative pool.
///
/// The end-to-end tests block while they wait (on `siaran`, ffmpeg and Chromium processes, on files,
/// on the clock). Swift Testing starts every test at once on the cooperative pool, which has one
/// thread per core and never grows: on the 2-core CI machine two waiting end-to-end tests held
/// every other test back, in-process ones included (the last CI run: 142 tests done in the first
/// 30 s, then 2 at a time; 320 tests, most of them milliseconds of work, passed after 570–600 s).
/// With this trait (`@Suite(…, .ownThreads)`) at most `OwnThreads.width` tests' bodies run at once,
/// each on a thread of `ThreadsExecutor`, so that many waiting tests overlap while the cooperative
/// pool stays free for the rest.
struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
    /// How many end-to-end tests run at once: two, as many as ran before on the shared pool of a
    /// 2-core machine. Four was 1.7× faster, but one of three quiet `.ci/run`s failed with it (a
    /// restarted SRT encoder's segment undecodable, the replica check, the idle timeout's 8 s), the
    /// wall-clock checks of tests that ran four at a time on two cores. `SIARAN_TEST_THREADS` overrides it.
    static let width = ProcessInfo.processInfo.environment["SIARAN_TEST_THREADS"].flatMap { Int($0) }.map { max(1, $0) } ?? 2

    static let slots = TestSlots(width)

    static let executor = ThreadsExecutor()

    @TaskLocal static var holdsSlot = false

    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> OwnThreads? { testCase == nil ? nil : self }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The test waits for a slot suspended, holding no thread; it gives the slot back when its body ends.
        // (A test given the trait twice, by its suite and itself, takes one slot, not two.)
        if Self.holdsSlot { return try await function() }
        try await Self.slots.take()
        defer { Self.slots.giveBack() }
        try await Self.$holdsSlot.withValue(true) {
            try await withTaskExecutorPreference(Self.executor) { try await function() }
        }
    }
}

extension Trait where Self == OwnThreads {
    /// The suite's tests block while they wait: run them on threads of their own (`OwnThreads`).
    static var ownThreads: OwnThreads { OwnThreads() }
}

/// At most `count` holders at once; the others wait suspended, first come first served. A waiter whose
/// task is cancelled (its time limit, which counts the wait too) stops waiting and throws.
final class TestSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var waiting: [(id: UUID, continuation: CheckedContinuation<Void, any Error>)] = []

    init(_ count: Int) { free = count }

    func take() async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if Task.isCancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else if free > 0 {
                    free -= 1
                    lock.unlock()
                    continuation.resume()
                } else {
                    waiting.append((id, continuation))
                    lock.unlock()
                }
            }
        } onCancel: {
            lock.lock()
            let index = waiting.firstIndex { $0.id == id }
            let cancelled = index.map { waiting.remove(at: $0).continuation }
            lock.unlock()
            cancelled?.resume(throwing: CancellationError())
        }
    }

    func giveBack() {
        lock.lock()
        if waiting.isEmpty {
            free += 1
            lock.unlock()
        } else {
            let next = waiting.removeFirst().continuation
            lock.unlock()
            next.resume()
        }
    }
}

/// A task executor that never makes a job wait for a thread: a job finds an idle thread or gets a new one.
/// Threads are kept for the run: there are as many as jobs ever ran at once here (the slots' tests and
/// their short jobs; a test that started a task group on it would add one for each child running at once).
///
/// How many tests run at once is `TestSlots`' business, not the threads'. With a fixed number of threads
/// taking jobs in order (sessions 11–13), a short job (a test's resumption after an `await` or a sleep of
/// its own, or the turn of a default actor that ran on this executor because a test that prefers it
/// called it) was queued behind every test body started before it, each blocking its thread for
/// up to minutes: in session 13's full runs the live tail's Chromium test passed its checks and then held
/// its result, and every result after it, back until its 10-minute limit.
final class ThreadsExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var idle = 0
    private var threads = 0

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        if idle >= jobs.count {
            condition.signal()
        } else {
            threads += 1
            let thread = Thread { self.work() }
            thread.name = "test-\(threads)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            idle += 1
            while jobs.isEmpty { condition.wait() }
            idle -= 1
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
