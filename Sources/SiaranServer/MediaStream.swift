import Foundation
import Hummingbird
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One running `siaran-media` child whose standard output is sent as a response body, as it comes.
/// It holds a place of the `MediaLimiter` until the child is over. The child is ended when the browser
/// goes away, and when the browser stops reading: a write that does not complete within
/// `stallTimeout` (or a body that never starts) ends the child and closes the connection; a child that
/// writes nothing for as long is ended too.
final class MediaStream: Sendable {
    private struct State: Sendable {
        /// Since when the child's first bytes, the body's start or a write have been awaited; nil while the child is read.
        var waitingSince: Date? = Date()
        /// Whether the answer has been handed over (a stall then is the reader's: its connection is closed).
        var answering = false
        var ended = false
    }

    private let process: Process
    private let output: FileHandle
    private let errors: Mutex<Data> = Mutex(Data())
    private let errorsRead = DispatchGroup()
    private let state = Mutex(State())
    private let release: @Sendable () async -> Void
    private let connection: (any Channel)?

    /// Starts the child; `release` gives the limiter's place back when it is over.
    init(process: Process, output: Pipe, errors: Pipe, connection: (any Channel)?, stallTimeout: TimeInterval,
         release: @escaping @Sendable () async -> Void) throws {
        self.process = process
        self.output = output.fileHandleForReading
        self.connection = connection
        self.release = release
        try process.run()
        // Standard error is drained as it comes (a chatty child must not block on a full pipe); its last line is the reason of a failure.
        let errorHandle = errors.fileHandleForReading
        errorsRead.enter()
        DispatchQueue.global().async { [self] in
            let data = errorHandle.readDataToEndOfFile()
            self.errors.withLock { $0 = data.suffix(4096) }
            errorsRead.leave()
        }
        // The watchdog: a child silent from the start, a body never started or a write not taken for
        // `stallTimeout` ends it all (held strongly, so an answer that is never sent still ends its child).
        Task {
            while !self.state.withLock({ $0.ended }) {
                if let since = self.state.withLock({ $0.waitingSince }), Date().timeIntervalSince(since) >= stallTimeout {
                    await self.end()
                    return
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// The child's first bytes, or its failure: a child that ends without writing anything failed
    /// (a clip of nothing, an unreadable session), and is answered with its reason instead of an empty 200.
    func firstChunk() async throws -> Data {
        let chunk = await Self.read(output)
        guard chunk.isEmpty else { return chunk }
        await end()
        let status = process.terminationStatus
        let text = String(decoding: errors.withLock { $0 }, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit \(status)"
        throw APIError(.unprocessableContent, text.replacingOccurrences(of: "error: ", with: ""))
    }

    /// The response body: `first`, then everything the child writes until it ends.
    func body(startingWith first: Data) -> ResponseBody {
        state.withLock { state in
            state.waitingSince = Date()
            state.answering = true
        }
        return ResponseBody { [self] writer in
            var chunk = first
            do {
                while !chunk.isEmpty {
                    state.withLock { $0.waitingSince = Date() }
                    try await writer.write(ByteBuffer(bytes: chunk))
                    state.withLock { $0.waitingSince = nil }
                    if state.withLock({ $0.ended }) { break }
                    chunk = await Self.read(output)
                }
                await end()
                try await writer.finish(nil)
            } catch {
                await end()
                throw error
            }
        }
    }

    /// Ends the child (if it still runs) and gives the place back, once; a stalled reader's connection is closed.
    func end() async {
        let (first, stalled) = state.withLock { state -> (Bool, Bool) in
            defer { state.ended = true }
            return (!state.ended, state.answering && state.waitingSince != nil)
        }
        guard first else { return }
        // The child goes first: a read waiting on its output then ends (end of file).
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let process = process, errorsRead = errorsRead
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                // A child that ignores SIGTERM is killed after two seconds.
                let deadline = Date().addingTimeInterval(2)
                while process.isRunning && Date() < deadline { usleep(20_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                _ = errorsRead.wait(timeout: .now() + 1)
                done.resume()
            }
        }
        try? output.close()
        if stalled { connection?.close(promise: nil) }
        await release()
    }

    /// The next bytes of a pipe (empty at its end or once closed), read off the concurrency pool's threads.
    private static func read(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: (try? handle.read(upToCount: 65536)) ?? Data()) }
        }
    }
}
