import Foundation
import Testing

/// Runs a suite's tests on threads of their own instead of Swift concurrency's cooperative pool.
///
/// The end-to-end tests block while they wait (on `siaran`, ffmpeg and Chromium processes, on files,
/// on the clock). Swift Testing starts every test at once on the cooperative pool, which has one
/// thread per core and never grows: on the 2-core CI machine two waiting end-to-end tests held
/// every other test back, in-process ones included (the last CI run: 142 tests done in the first
/// 30 s, then 2 at a time; 320 tests, most of them milliseconds of work, passed after 570–600 s).
/// With this trait (`@Suite(…, .ownThreads)`) a test's body runs on one of `OwnThreads.width`
/// threads, so that many waiting tests overlap while the cooperative pool stays free for the rest.
struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
    /// How many end-to-end tests run at once: two, as many as ran before on the shared pool of a
    /// 2-core machine. Four was 1.7× faster, but one of three quiet `.ci/run`s failed with it (a
    /// restarted SRT encoder's segment undecodable, the replica check, the idle timeout's 8 s), the
    /// wall-clock checks of tests that ran four at a time on two cores. `SIARAN_TEST_THREADS` overrides it.
    static let width = ProcessInfo.processInfo.environment["SIARAN_TEST_THREADS"].flatMap { Int($0) }.map { max(1, $0) } ?? 2

    static let executor = ThreadsExecutor(threads: width)

    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> OwnThreads? { testCase == nil ? nil : self }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(Self.executor) { try await function() }
    }
}

extension Trait where Self == OwnThreads {
    /// The suite's tests block while they wait: run them on threads of their own (`OwnThreads`).
    static var ownThreads: OwnThreads { OwnThreads() }
}

/// A task executor of a fixed number of threads, taking jobs in order.
final class ThreadsExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for number in 0..<threads {
            let thread = Thread { self.work() }
            thread.name = "test-\(number)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
