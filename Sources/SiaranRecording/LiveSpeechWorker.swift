import Foundation

/// The speech worker held open between passes (`siaran-asr-worker --serve`): the model loads once,
/// and each request is a short window of 16 kHz PCM whose words come back at once. Low priority,
/// like the worker of the 30 s pass.
final class LiveSpeechWorker {
    private let child: WorkerChild
    /// "faster-whisper 1.2.1", the model's hash (from the worker's start line).
    private(set) var engine = "faster-whisper"
    private(set) var modelHash = ""
    /// CPU seconds the worker spent on requests so far, and the audio seconds they held.
    private(set) var cpuSeconds = 0.0
    private(set) var audioSeconds = 0.0

    init(engine: SpeechEngine, language: String, beamSize: Int) throws {
        child = try WorkerChild(python: engine.python, script: engine.worker,
                                arguments: ["--serve", "--model", engine.model, "--language", language, "--threads", "1",
                                            "--beam-size", String(beamSize)],
                                home: engine.home, streaming: true)
        guard let start = child.nextObject(), start["type"] as? String == "start" else {
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
        do { try child.send(request) } catch {
            throw SpeechEngine.Missing(description: "the live speech worker stopped reading\(child.failureAfterStop().map { ": " + $0 } ?? "")")
        }
        var words: [WorkerProcess.Word] = []
        while let object = child.nextObject() {
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
        throw SpeechEngine.Missing(description: "the live speech worker exited (status \(child.isRunning ? 0 : child.terminationStatus))\(child.failure().map { ": " + $0 } ?? "")")
    }

    /// Ends the worker's input and gives it 5 s to exit before it is terminated.
    func stop() { child.finish(grace: 5) }
}
