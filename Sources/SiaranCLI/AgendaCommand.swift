import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct AgendaCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Attach (or replace) the agenda/roster YAML file of a session, or check a file with --check."
    )

    @Argument(help: "Session id or a unique part of it (omit with --check).") var session: String?
    @Argument(help: "The agenda/roster YAML file.") var file: String?
    @Flag(help: "Only check the file and print what it holds.") var check = false
    @Option(help: ArgumentHelp("When the agenda's date differs from the recording's: which one the report and the news post use (recording or agenda).",
                               valueName: "which"))
    var date: AgendaDateCheck.Choice?
    @OptionGroup var archive: ArchiveOptions

    public func validate() throws {
        if check {
            if file == nil && session == nil { throw ValidationError("give the file to check") }
            if date != nil { throw ValidationError("--date chooses for a session; it does not go with --check") }
        } else if session == nil || (file == nil && date == nil) {
            throw ValidationError("give the session and the agenda file (siaran agenda SESSION FILE), or the date to use (siaran agenda SESSION --date recording|agenda)")
        }
    }

    public func run() throws {
        if check {
            guard let path = file ?? session else { return }
            let agenda = try AgendaFile.load(path: path)
            print("\(path): ok — \(agenda.speakers.count) speakers, \(agenda.participants.count) participants, \(agenda.agenda.count) agenda items")
            return
        }
        guard let session else { return }
        let store = archive.open()
        let id = try store.resolve(session)
        if let file {
            var agenda = try AgendaFile.load(path: file)
            agenda.dateChoice = date
            try store.saveAgenda(agenda, of: id)
            print("attached \(file) to \(id): \(agenda.speakers.count) speakers, \(agenda.agenda.count) agenda items")
        } else if let date {
            try AgendaDateCheck.choose(date, archive: store, id: id)
        }
        if let check = AgendaDateWarning.warn(archive: store, id: id), date != nil {
            print("\(id): the report and the news post use the \(check.stands.rawValue)'s date, \(AgendaDateCheck.written(check.standingDay, language: .english))")
        } else if date != nil {
            print("\(id): the agenda's date and the recording's agree; nothing to choose")
        }
    }
}

extension AgendaDateCheck.Choice: ExpressibleByArgument {}
