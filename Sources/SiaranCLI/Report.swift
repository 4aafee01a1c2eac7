import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Report: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Write a brief of a session (who spoke and for how long, agenda with times, participants, topics, notes)."
    )

    @Argument(help: "Session id or a unique part of it.") var session: String
    @Option(help: "md or html (one self-contained file).") var format: ReportFormat = .md
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?
    @OptionGroup var archive: ArchiveOptions

    enum ReportFormat: String, ExpressibleByArgument { case md, html }

    public func run() throws {
        let archive = archive.open()
        let d = try SessionDetails(archive: archive, id: try archive.resolve(session))
        let text = format == .md ? SessionReport.markdown(d) : SessionReport.html(d)
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            StandardError.write("wrote \(output)\n")
        } else {
            print(text, terminator: "")
        }
    }
}
