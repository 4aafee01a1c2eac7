import ArgumentParser
import Siaran
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

/// A command that could not do its work, for a reason its arguments did not show: printed as
/// "Error: …" (no usage text), exit status 1.
public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Implemented by `siaran-media`: recovers abandoned sessions in-process (it has libav).
public protocol ArchiveRecovering {
    func recoverAbandoned(_ archive: Archive, console: Console)
}

/// `--archive`, shared by every command that reads or writes sessions.
public struct ArchiveOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: "The archive folder (default: $SIARAN_ARCHIVE or ./sessions).")
    public var archive: String?

    /// The archive, after recovering any session a crashed recorder left open.
    public func open(console: Console = Console()) -> Archive {
        let archive = Archive(path: self.archive)
        let abandoned = archive.abandonedSessionIDs()
        guard !abandoned.isEmpty else { return archive }
        if let recovering = self as? ArchiveRecovering {
            recovering.recoverAbandoned(archive, console: console)
            return archive
        }
        // Salvaging a partial segment needs libav: `siaran-media recover` does it.
        do {
            let result = try MediaExecutable.run(arguments: ["recover", "--archive", archive.root])
            for line in result.output.split(separator: "\n") where !line.hasPrefix("nothing to recover") { console.warn(String(line)) }
        } catch {
            console.warn("\(abandoned.count) session(s) need recovery (\(abandoned.joined(separator: ", "))), but \(error)")
        }
        return archive
    }
}
