import ArgumentParser
import Foundation
import SiaranCore

public struct Transcribe: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Turn a session's speech into a machine transcript (captions/asr.vtt), offline, and index it.",
        discussion: """
        Runs Whisper (faster-whisper, installed by Scripts/setup-speech; no audio leaves this machine) on the \
        session's audio. The transcript is searchable like captions; its hits say `transcript` and rank \
        below human captions. Run it again to replace it (with another --model, say).
        """
    )

    @Argument(help: "Session id or a unique part of it.") public var session: String
    @Option(help: "The spoken language (Whisper's code: id, en, jv, …).") public var language = "id"
    @Option(help: "A CTranslate2 Whisper model folder downloaded once (default: the installed base model).") public var model: String?
    @Option(help: "CPU threads the recogniser may use (1 uses the least CPU; see Benchmarks).") public var threads = 1
    @OptionGroup public var archive: ArchiveOptions

    public func validate() throws {
        guard (1...16).contains(threads) else { throw ValidationError("--threads must be between 1 and 16") }
        guard language.range(of: "^[a-z]{2,3}$", options: .regularExpression) != nil else {
            throw ValidationError("--language must be a language code such as id or en")
        }
    }

    public func run() throws { try handOffToMedia() }
}
