import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Report: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Write a brief of a session (who spoke and for how long, agenda with times, participants, topics, notes).",
        discussion: "In Indonesian unless --language en; dates and times in the office's zone (--timezone, $SIARAN_TIMEZONE, else this machine's)."
    )

    @Argument(help: "Session id or a unique part of it (default: the session being recorded now, else the latest).") var session: String?
    @Option(help: "md or html (one self-contained file).") var format: ReportFormat = .md
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var office: OfficeOptions

    enum ReportFormat: String, ExpressibleByArgument { case md, html }

    public func run() throws {
        let archive = archive.open()
        let time = try office.time()
        let language = try office.chosenLanguage()
        let id = try archive.chosenSession(session)
        let d = try SessionDetails(archive: archive, id: id)
        AgendaDateWarning.warn(archive: archive, id: id, zone: time.zone)
        let text = format == .md ? SessionReport.markdown(d, language: language, zone: time.zone) : SessionReport.html(d, language: language, zone: time.zone)
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            StandardError.write("wrote \(output)\n")
        } else {
            print(text, terminator: "")
        }
    }
}
