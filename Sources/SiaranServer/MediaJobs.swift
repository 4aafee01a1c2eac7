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
    let slots = JobSlots(count: 2)

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

    /// Runs `siaran-media ARGUMENTS` to its end (at most two at once); throws with its last error line.
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

    /// Starts `siaran-media ARGUMENTS` and sends its standard output as the response body as it
    /// comes, one pipe read at a time (the child waits while the browser is slow: nothing is dropped
    /// or piled up); the child is ended when the browser goes away or seeks elsewhere.
    func stream(_ arguments: [String]) throws -> ResponseBody {
        let output = Pipe()
        let process = try child(arguments, output: output, errors: FileHandle.nullDevice)
        try process.run()
        let handle = output.fileHandleForReading
        return ResponseBody { writer in
            defer {
                if process.isRunning { kill(process.processIdentifier, SIGTERM) }
                try? handle.close()
                DispatchQueue.global().async { process.waitUntilExit() }
            }
            while true {
                let chunk = await Self.read(handle)
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
    }

    /// The next bytes of a pipe (empty at its end), read off the concurrency pool's threads.
    private static func read(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.availableData) }
        }
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
