import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct SiaranCommand: ParsableCommand {
    public init() {}

    /// `siaran`'s entry point: media commands go straight to `siaran-media`; the rest run here.
    public static func runLight() {
        SiblingExecutable.handOffEarly()
        runRedacted()
    }

    /// Parses and runs the command line. Every error message is redacted before it is printed: an
    /// argument error may quote a stream URL with its key ("Unexpected argument 'rtmp://…/KEY'").
    public static func runRedacted(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(QueryArgument.protect(arguments ?? Array(CommandLine.arguments.dropFirst())))
            try command.run()
            Foundation.exit(0)
        } catch {
            let (text, code) = printable(error)
            if !text.isEmpty {
                if code == .success {
                    print(text)
                } else {
                    StandardError.write((text.hasSuffix("\n") ? text : text + "\n"))
                }
            }
            Foundation.exit(code.rawValue)
        }
    }

    /// What an error ends the command with. Help and version (exit status 0) are Siaran's own text,
    /// printed as written (redacting them turned the examples into `…/live/***`); every other
    /// message is redacted, since it may quote an argument with a secret in it.
    static func printable(_ error: Error) -> (text: String, code: ExitCode) {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        return (code == .success ? message : Redaction.redactText(message), code)
    }

    public static let configuration = CommandConfiguration(
        commandName: "siaran",
        abstract: "Record live webinars, tag who speaks and what is on the agenda, and search every session.",
        subcommands: [Record.self, Import.self, Tag.self, AgendaCommand.self, Captions.self, Transcribe.self, TranscriptCommand.self, Voices.self, Sessions.self, Show.self, Report.self, PostCommand.self,
                      Search.self, Clip.self, Thumbnail.self, Serve.self, UserCommand.self, Analyze.self, Reindex.self, CatalogCommand.self, Retention.self, Pin.self, Unpin.self, Recover.self, Demo.self, BenchQueries.self]
    )
}
