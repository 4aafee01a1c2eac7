import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The speech worker held open between passes (`siaran-asr-worker --serve`): the model loads once,
/// and each request is a short window of 16 kHz PCM whose words come back at once. Low priority,
/// like the worker of the 30 s pass.
final class LiveSpeechWorker {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var reader: FileHandle { output.fileHandleForReading }
    private var pending = Data()
    /// "faster-whisper 1.2.1", the model's hash (from the worker's start line).
    private(set) var engine = "faster-whisper"
    private(set) var modelHash = ""
    /// CPU seconds the worker spent on requests so far, and the audio seconds they held.
    private(set) var cpuSeconds = 0.0
    private(set) var audioSeconds = 0.0

    init(engine: SpeechEngine, language: String, beamSize: Int) throws {
        process.executableURL = URL(fileURLWithPath: engine.python)
        process.arguments = [engine.worker, "--serve", "--model", engine.model, "--language", language, "--threads", "1",
                             "--beam-size", String(beamSize)]
        var environment = ProcessInfo.processInfo.environment
        environment["SIARAN_SPEECH_HOME"] = engine.home
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), 10)
        guard let start = try nextObject(), start["type"] as? String == "start" else {
            stop()
            throw SpeechEngine.Missing(description: "the live speech worker did not start (run Scripts/setup-speech --verify)")
        }
        self.engine = ["faster-whisper", start["engine_version"] as? String ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        modelHash = start["model_sha256"] as? String ?? ""
    }

    /// The words said in `samples`, their times in seconds from the first sample.
    func words(_ samples: [Int16]) throws -> [WorkerProcess.Word] {
        var request = Data("{\"samples\":\(samples.count),\"offset\":0}\n".utf8)
        samples.withUnsafeBytes { request.append(contentsOf: $0) }
        let fd = input.fileHandleForWriting.fileDescriptor
        try request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw SpeechEngine.Missing(description: "the live speech worker stopped reading") }
                offset += n
            }
        }
        var words: [WorkerProcess.Word] = []
        while let object = try nextObject() {
            switch object["type"] as? String {
            case "word":
                if let start = object["start"] as? Double, let end = object["end"] as? Double, let text = object["word"] as? String {
                    words.append(WorkerProcess.Word(segment: object["segment"] as? Int ?? 0, start: start, end: end, word: text))
                }
            case "result":
                cpuSeconds += object["cpu_seconds"] as? Double ?? 0
                audioSeconds += object["audio_seconds"] as? Double ?? 0
                return words
            case "error":
                throw SpeechEngine.Missing(description: "live speech-to-text failed: \(object["message"] as? String ?? "unknown error")")
            default:
                continue
            }
        }
        throw SpeechEngine.Missing(description: "the live speech worker exited (status \(process.isRunning ? 0 : process.terminationStatus))")
    }

    /// The next JSON line from the worker, or nil at its end.
    private func nextObject() throws -> [String: Any]? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] { return object }
                continue
            }
            let more = reader.availableData
            if more.isEmpty { return nil }
            pending.append(more)
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
    }
}
