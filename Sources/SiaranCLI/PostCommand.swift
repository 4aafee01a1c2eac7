import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

/// `siaran post SESSION`: the session's news post, as the officer edited it in `siaran serve` or
/// else as Siaran drafts it (agenda, roles, speaker turns, starred quotes).
public struct PostCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Write a session's news post (drafted in Indonesian from the agenda, roster, speaker turns and starred quotes).",
        discussion: """
        Quotes are starred and the photo picked on the session page of `siaran serve`, where the text
        can be edited too. md names the photo beside it (written next to -o as post-photo.jpg);
        html is one self-contained file with the photo inside; text is the plain draft.
        """
    )

    @Argument(help: "Session id or a unique part of it (default: the session being recorded now, else the latest).") var session: String?
    @Option(help: "md, html or text.") var format: NewsPostExport.Format = .md
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?
    @OptionGroup var archive: ArchiveOptions
    @Option(help: ArgumentHelp("The office's time zone for the post's day (an IANA name; default: $SIARAN_TIMEZONE, else this machine's).", valueName: "zone"))
    var timezone: String?

    public func run() throws {
        let archive = archive.open()
        var office = OfficeOptions()
        office.timezone = timezone
        let zone = try office.time().zone
        let id = try archive.chosenSession(session)
        let details = try SessionDetails(archive: archive, id: id)
        AgendaDateWarning.warn(archive: archive, id: id, zone: zone)
        let store = NewsPostStore(archive: archive)
        let post = try store.load(id)
        let photo = store.photo(id)
        let text = NewsPostExport.render(details, post: post, photo: photo, format: format, zone: zone)
        guard let output else {
            print(text, terminator: "")
            return
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        StandardError.write("wrote \(output)\n")
        if format == .md, let photo {
            let beside = ((output as NSString).deletingLastPathComponent as NSString).appendingPathComponent(NewsPostExport.photoName)
            try photo.write(to: URL(fileURLWithPath: beside), options: .atomic)
            StandardError.write("wrote \(beside)\n")
        }
    }
}

extension NewsPostExport.Format: ExpressibleByArgument {}
