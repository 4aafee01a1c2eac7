import Dispatch
import Foundation

/// Runs async work from a synchronous command, to its end. The commands run on the main thread,
/// which is not one of the concurrency pool's, so waiting on it here cannot starve the pool.
public enum AsyncBridge {
    final class Box<T>: @unchecked Sendable {
        // @unchecked: written once by the task, read after the semaphore says it is done.
        var result: Result<T, any Error>?
    }

    public static func wait<T>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}
