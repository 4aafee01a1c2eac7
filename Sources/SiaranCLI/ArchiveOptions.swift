import ArgumentParser
import SiaranArchive

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
            let result = try SiblingExecutable.media.run(arguments: ["recover", "--automatic", "--archive", archive.root])
            for line in result.output.split(separator: "\n") where !line.hasPrefix("nothing to recover") { console.warn(String(line)) }
        } catch {
            console.warn("\(abandoned.count) session(s) need recovery (\(abandoned.joined(separator: ", "))), but \(error)")
        }
        return archive
    }
}
