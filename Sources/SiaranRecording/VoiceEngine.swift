import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the offline voice engine is installed (`Scripts/setup-speech`, beside speech-to-text): the
/// speech venv's Python, `bin/siaran-voice-worker` and Resemblyzer's GE2E weights
/// `models/voice-ge2e/pretrained.pt`, under `$SIARAN_SPEECH_HOME` (default `~/.local/share/siaran/speech`).
public struct VoiceEngine: Sendable {
    public var home: String
    public var python: String
    public var worker: String
    public var model: String

    /// Why voices cannot be diarised here, and what to do.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The installed engine, or a `Failure` naming Scripts/setup-speech.
    public static func installed(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> VoiceEngine {
        let home = environment["SIARAN_SPEECH_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/siaran/speech")
        let files = FileManager.default
        let python = home + "/venv/bin/python"
        let worker = environment["SIARAN_VOICE_WORKER"] ?? home + "/bin/siaran-voice-worker"
        guard files.isExecutableFile(atPath: python), files.fileExists(atPath: worker) else {
            throw Failure(description: "no voice engine is installed in \(home); run Scripts/setup-speech once "
                          + "(it installs the speech venv and the 17 MB voice model from PyPI beside speech-to-text)")
        }
        let model = home + "/models/voice-ge2e/pretrained.pt"
        guard files.fileExists(atPath: model) else {
            throw Failure(description: "the voice model is missing from \(model); run Scripts/setup-speech again")
        }
        return VoiceEngine(home: home, python: python, worker: worker, model: model)
    }
}

/// The voice worker as a child process at low priority: PCM in on its standard input, JSON lines out
/// (protocol in `Scripts/siaran-voice-worker`). Its `--tags` and `--library` files are read after the
/// input ends, so they may be written while the audio streams (the session clock is known then).
final class VoiceWorkerProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let collected = Collected()

    /// Output read on threads of their own, so the worker never blocks on a full pipe.
    private final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var stdout = Data()
        var stderr = Data()
        let done = DispatchGroup()
    }

    init(engine: VoiceEngine, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: engine.python)
        process.arguments = [engine.worker] + arguments + ["--model", engine.model]
        var environment = ProcessInfo.processInfo.environment
        environment["SIARAN_SPEECH_HOME"] = engine.home
        // One BLAS thread costs the least CPU per audio second (Scripts/bench-voices).
        for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        signal(SIGPIPE, SIG_IGN)
        do { try process.run() } catch { throw VoiceEngine.Failure(description: "cannot start the voice worker \(engine.worker): \(error)") }
        // Below the recorder and the shell, as speech-to-text.
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), 10)
        let collected = self.collected
        for (pipe, isOut) in [(output, true), (errors, false)] {
            collected.done.enter()
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread {
                let data = handle.readDataToEndOfFile()
                collected.lock.lock()
                if isOut { collected.stdout = data } else { collected.stderr = data.suffix(8192) }
                collected.lock.unlock()
                collected.done.leave()
            }
        }
    }

    /// Sends samples to the worker; throws when it has gone.
    func send(_ samples: [Int16]) throws {
        let fd = input.fileHandleForWriting.fileDescriptor
        try samples.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw VoiceEngine.Failure(description: "the voice worker stopped reading: \(failure() ?? "it exited")") }
                offset += n
            }
        }
    }

    /// Ends the input, waits, and returns the worker's JSON lines as objects.
    func finish() throws -> [[String: Any]] {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        collected.done.wait()
        guard process.terminationStatus == 0 else {
            throw VoiceEngine.Failure(description: "the voice worker failed: \(failure() ?? "it exited with status \(process.terminationStatus)")")
        }
        return lines()
    }

    /// Stops the worker (the audio could not be read, or the caller gave up).
    func abandon() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    private func lines() -> [[String: Any]] {
        collected.lock.lock()
        defer { collected.lock.unlock() }
        return collected.stdout.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    /// The worker's own error message: its last `error` line, or its standard error.
    private func failure() -> String? {
        if let error = lines().last(where: { $0["type"] as? String == "error" }) { return error["message"] as? String }
        collected.lock.lock()
        defer { collected.lock.unlock() }
        let text = String(decoding: collected.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.suffix(400))
    }
}
