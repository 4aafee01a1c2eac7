import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

/// `siaran transcript correct`: the session page's line correction from a terminal.
public struct TranscriptCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "transcript",
        abstract: "Correct a session's transcript (the caption files keep the machine's text).",
        subcommands: [Correct.self]
    )

    public struct Correct: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            abstract: "Correct the transcript line at a moment: its text, its speaker, or both.",
            discussion: """
            The line is the one running at AT (a machine-transcript line before a caption's). The correction is appended
            to the session's corrections.jsonl with your name; search, quotes, the post and the exports use it at once.
            Example: siaran transcript correct 2026-12-07-briefing 00:01:02 "Daftar pemilih tetap sudah diumumkan."
            """
        )

        @Argument(help: "Session id or a unique part of it.") var session: String
        @Argument(help: "A moment of the line (HH:MM:SS, MM:SS or seconds).", transform: Duration.parse) var at: Double
        @Argument(help: "The line's corrected text.") var text: String?
        @Option(help: "Who speaks the line (\"\" for nobody named).") var speaker: String?
        @Option(help: "The caption file of the line when several have one there (asr.vtt, 1.vtt…).") var file: String?
        @Flag(help: "Print the corrected line as JSON.") var json = false
        @OptionGroup var archive: ArchiveOptions

        public func validate() throws {
            if text == nil && speaker == nil { throw ValidationError("give the corrected TEXT, --speaker NAME, or both") }
        }

        public func run() throws {
            let store = archive.open(console: Console())
            let id = try store.resolve(session)
            let lines = CorrectedTranscript.lines(archive: store, id: id).filter { file == nil || $0.file == file }
            let running = lines.filter { $0.cue.start - 0.0005 <= at && at < max($0.cue.end, $0.cue.start + 0.001) }
            guard let line = running.first(where: { $0.file == Archive.machineTranscriptName }) ?? running.first else {
                let near = lines.min { abs($0.cue.start - at) < abs($1.cue.start - at) }
                throw CommandFailure("no transcript line of \(id) runs at \(Format.clock(at))"
                                     + (near.map { "; the nearest starts at \(Format.clock($0.cue.start)) (“\($0.cue.text)”)" } ?? "; the session has no transcript"))
            }
            var result = lines
            do {
                if let speaker {
                    result = try CorrectedTranscript.correct(TranscriptCorrection(action: .speaker, file: line.file, at: line.cue.start, speaker: speaker), archive: store, id: id)
                }
                if let text {
                    result = try CorrectedTranscript.correct(TranscriptCorrection(action: .edit, file: line.file, at: line.cue.start, text: text), archive: store, id: id)
                }
            } catch let problem as CorrectedTranscript.Problem {
                throw CommandFailure("the line at \(Format.clock(line.cue.start)) cannot be corrected: " + Self.reason(problem.code))
            }
            guard let now = result.first(where: { $0.file == line.file && abs($0.cue.start - line.cue.start) < 0.0005 }) else { return }
            if json {
                let shown = Cue(start: now.cue.start, end: now.cue.end, text: now.cue.text, voice: now.cue.voice)
                print(String(decoding: try JSONCoding.encoder(pretty: false).encode(shown), as: UTF8.self))
            } else {
                print("corrected the line at \(Format.clock(now.cue.start)) in \(id): \(now.cue.voice.map { $0 + ": " } ?? "")\(now.cue.text)")
            }
        }

        static func reason(_ code: CorrectedTranscript.Problem.Code) -> String {
            switch code {
            case .emptyText: return "the text is empty"
            case .tooLong: return "a line may be at most \(CorrectedTranscript.longestText) characters"
            case .noLine: return "the line is gone (corrected meanwhile?); run the command again"
            case .badCaret, .noNextLine: return "not a correction this command makes"
            }
        }
    }
}
