import ArgumentParser
import Siaran
import SiaranArchive

@main
struct SiaranCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siaran",
        abstract: "Record live webinars, tag who speaks and what is on the agenda, and search every session.",
        subcommands: [Record.self, Import.self, Tag.self, AgendaCommand.self, Captions.self, Sessions.self, Show.self, Report.self,
                      Search.self, Clip.self, Analyze.self, Reindex.self, Recover.self, Demo.self, BenchQueries.self]
    )
}

/// `--archive`, shared by every command that reads or writes sessions.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .long, help: "The archive folder (default: $SIARAN_ARCHIVE or ./sessions).")
    var archive: String?

    /// The archive, after recovering any session a crashed recorder left open.
    func open(console: Console = Console()) -> Archive {
        let archive = Archive(path: self.archive)
        for report in Recovery.recoverAbandoned(in: archive) {
            console.warn(report.summary)
        }
        return archive
    }
}
