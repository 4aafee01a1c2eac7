import Foundation

/// The speech worker (a `WorkerChild`): PCM in on its standard input, JSON lines out (see
/// `Scripts/siaran-asr-worker` for the protocol).
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

    private let child: WorkerChild

    init(engine: SpeechEngine, language: String, threads: Int) throws {
        child = try WorkerChild(python: engine.python, script: engine.worker,
                                arguments: ["--model", engine.model, "--input", "-", "--format", "s16le", "--language", language,
                                            "--threads", String(threads)],
                                home: engine.home)
    }

    /// Sends samples to the worker; throws when it has gone.
    func send(_ samples: [Int16]) throws {
        do { try child.send(samples) } catch {
            throw SpeechEngine.Missing(description: "the speech worker stopped reading: \(child.failureAfterStop() ?? "it exited")")
        }
    }

    /// Ends the input and waits for the transcript.
    func finish() throws -> Output {
        let status = child.finish()
        var words: [Word] = []
        var engine = "speech worker"
        var hash = ""
        for line in child.rawLines() {
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let type = object["type"] as? String else { continue }
            switch type {
            case "word":
                if let word = try? JSONDecoder().decode(Word.self, from: line) { words.append(word) }
            case "done":
                let name = object["engine"] as? String ?? "faster-whisper"
                let version = object["engine_version"] as? String ?? object["faster_whisper_version"] as? String ?? ""
                engine = [name, version].filter { !$0.isEmpty }.joined(separator: " ")
                hash = object["model_sha256"] as? String ?? ""
            default:
                continue
            }
        }
        guard status == 0 else {
            throw SpeechEngine.Missing(description: "speech-to-text failed: \(child.failure() ?? "the worker exited with status \(status)")")
        }
        return Output(words: words, engine: engine, modelHash: hash)
    }

    /// Stops the worker (the audio could not be read).
    func abandon() { child.abandon() }
}
