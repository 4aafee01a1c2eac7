import ArgumentParser
import SiaranArchive

public struct SiaranCommand: ParsableCommand {
    public init() {}

    /// `siaran`'s entry point: media commands go straight to `siaran-media`; the rest run here.
    public static func runLight() {
        MediaExecutable.handOffEarly()
        main()
    }

    public static let configuration = CommandConfiguration(
        commandName: "siaran",
        abstract: "Record live webinars, tag who speaks and what is on the agenda, and search every session.",
        subcommands: [Record.self, Import.self, Tag.self, AgendaCommand.self, Captions.self, Sessions.self, Show.self, Report.self,
                      Search.self, Clip.self, Analyze.self, Reindex.self, Recover.self, Demo.self, BenchQueries.self]
    )
}
