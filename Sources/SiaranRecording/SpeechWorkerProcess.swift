import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The speech worker as a child process: PCM in on its standard input, JSON lines out (see
/// `Scripts/siaran-asr-worker` for the protocol). Runs at low priority.
final class WorkerProcess {
    struct Word: Decodable {
        var segment: Int
        var start: Double
        var end: Double
        var word: String
    }

    struct Output {
        var words: [Word]
        /// "faster-whisper 1.2.1 (ctranslate2 4.8.5)".
        var engine: String
        var modelHash: String
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let collected = Collected()

    /// Lines read so far (read on a thread of their own, so the worker never blocks on a full pipe).
    private final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var stdout = Data()
        var stderr = Data()
        let done = DispatchGroup()
    }

    init(engine: SpeechEngine, language: String, threads: Int) throws {
        process.executableURL = URL(fileURLWithPath: engine.python)
        process.arguments = [engine.worker, "--model", engine.model, "--input", "-", "--format", "s16le", "--language", language,
                             "--threads", String(threads)]
        var environment = ProcessInfo.processInfo.environment
        environment["SIARAN_SPEECH_HOME"] = engine.home
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        // Below the recorder and the shell: transcription waits for CPU that nobody else needs.
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), 10)
        let collected = self.collected
        for (pipe, isOut) in [(output, true), (errors, false)] {
            collected.done.enter()
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread {
                let data = handle.readDataToEndOfFile()
                collected.lock.lock()
                if isOut { collected.stdout = data } else { collected.stderr = data }
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
                guard n > 0 else { throw SpeechEngine.Missing(description: "the speech worker stopped reading: \(failure() ?? "it exited")") }
                offset += n
            }
        }
    }

    /// Ends the input and waits for the transcript.
    func finish() throws -> Output {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        collected.done.wait()
        var words: [Word] = []
        var engine = "speech worker"
        var hash = ""
        for line in collected.stdout.split(separator: 0x0A) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let type = object["type"] as? String else { continue }
            switch type {
            case "word":
                if let word = try? JSONDecoder().decode(Word.self, from: Data(line)) { words.append(word) }
            case "done":
                let name = object["engine"] as? String ?? "faster-whisper"
                let version = object["engine_version"] as? String ?? object["faster_whisper_version"] as? String ?? ""
                engine = [name, version].filter { !$0.isEmpty }.joined(separator: " ")
                hash = object["model_sha256"] as? String ?? ""
            default:
                continue
            }
        }
        guard process.terminationStatus == 0 else {
            throw SpeechEngine.Missing(description: "speech-to-text failed: \(failure() ?? "the worker exited with status \(process.terminationStatus)")")
        }
        return Output(words: words, engine: engine, modelHash: hash)
    }

    /// Stops the worker (the audio could not be read).
    func abandon() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The worker's own error message: its last `error` line, or its standard error.
    private func failure() -> String? {
        collected.lock.lock()
        defer { collected.lock.unlock() }
        for line in collected.stdout.split(separator: 0x0A).reversed() {
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], object["type"] as? String == "error" {
                return object["message"] as? String
            }
        }
        let text = String(decoding: collected.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.suffix(400))
    }
}
