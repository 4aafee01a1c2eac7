import Foundation
import Hummingbird
import Logging
import NIOCore
import SiaranArchive
#if canImport(Glibc)
import Glibc
#endif

/// Media work (thumbnails, clips, MP4 playback) runs in `siaran-media` child processes, never in the
/// server: a hostile stream that crashes a demuxer takes one child down, not the server.
struct MediaJobs: Sendable {
    let configuration: ServerConfiguration
    let logger: Logger
    let limits: MediaLimits
    let slots: JobSlots
    let streams: MediaLimiter

    init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        limits = configuration.mediaLimits
        slots = JobSlots(count: limits.thumbnails)
        streams = MediaLimiter(running: limits.streams, queue: limits.queue, perVisitor: limits.perVisitor, queueWait: limits.queueWait)
    }

    var executable: String {
        get throws {
            guard let path = configuration.mediaExecutable, FileManager.default.isExecutableFile(atPath: path) else {
                throw APIError(.serviceUnavailable, "siaran-media is not installed beside siaran-serve; thumbnails, clips and MP4 playback need it")
            }
            return path
        }
    }

    /// `siaran-media ARGUMENTS`, not started yet, on this archive, with no input.
    private func child(_ arguments: [String], output: Any, errors: Any) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["SIARAN_ARCHIVE": configuration.archive.root]) { $1 }
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        return process
    }

    /// Runs `siaran-media ARGUMENTS` to its end (at most `limits.thumbnails` at once); throws with its last error line.
    func run(_ arguments: [String], timeout: TimeInterval = 60) async throws {
        let errors = Pipe()
        let process = try child(arguments, output: FileHandle.nullDevice, errors: errors)
        try await slots.withSlot {
            try await Task.detached {
                try process.run()
                let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
                let message = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                watchdog.cancel()
                guard process.terminationStatus == 0 else {
                    let text = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
                    throw APIError(.unprocessableContent, text.replacingOccurrences(of: "error: ", with: ""))
                }
            }.value
        }
    }

    /// Starts `siaran-media ARGUMENTS` for the visitor of `context` and sends its standard output as the
    /// response body as it comes, one pipe read at a time (the child waits while the browser is slow:
    /// nothing is dropped or piled up). The child waits for a place among `limits.streams` (503 past the
    /// limits); it is ended when the browser goes away, seeks elsewhere or stops reading; a child that
    /// fails before writing anything is answered with its reason.
    func stream(_ arguments: [String], for context: SiaranContext) async throws -> ResponseBody {
        let visitor = context.visitorKey, streams = streams
        try await streams.acquire(visitor)
        let running: MediaStream
        do {
            let output = Pipe(), errors = Pipe()
            running = try MediaStream(process: try child(arguments, output: output, errors: errors), output: output, errors: errors,
                                      connection: context.connection, stallTimeout: limits.stallTimeout) { await streams.release(visitor) }
        } catch {
            await streams.release(visitor)
            throw error
        }
        return running.body(startingWith: try await running.firstChunk())
    }
}

/// At most `count` media jobs at once; the rest wait their turn.
actor JobSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { free = count }

    func withSlot<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        if free > 0 { free -= 1 } else { await withCheckedContinuation { waiting.append($0) } }
        defer { release() }
        return try await work()
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
