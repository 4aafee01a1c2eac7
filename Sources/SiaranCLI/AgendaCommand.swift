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
    @OptionGroup var archive: ArchiveOptions

    public func validate() throws {
        if check {
            if file == nil && session == nil { throw ValidationError("give the file to check") }
        } else if session == nil || file == nil {
            throw ValidationError("give the session and the agenda file: siaran agenda SESSION FILE")
        }
    }

    public func run() throws {
        if check {
            guard let path = file ?? session else { return }
            let agenda = try AgendaFile.load(path: path)
            print("\(path): ok — \(agenda.speakers.count) speakers, \(agenda.participants.count) participants, \(agenda.agenda.count) agenda items")
            return
        }
        guard let session, let file else { return }
        let agenda = try AgendaFile.load(path: file)
        let store = archive.open()
        let id = try store.resolve(session)
        try store.saveAgenda(agenda, of: id)
        print("attached \(file) to \(id): \(agenda.speakers.count) speakers, \(agenda.agenda.count) agenda items")
    }
}
