import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Tag: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Tag who is speaking, the agenda item, a topic or a note, now or at a moment; correct tags.",
        discussion: """
        Without SESSION, tags the session being recorded now. Without --at, tags the moment that is live now.
        Corrections append to the event log (nothing is erased): --delete ID, --move ID --at T, --retag ID --to VALUE.
        """
    )

    @Argument(help: "Session id or a unique part of it (default: the one recording now).")
    var session: String?

    @Option(help: "Who is speaking (matched against the roster, ignoring case and accents).") var speaker: String?
    @Option(help: "The agenda item now running: its number or (part of) its title.") var agenda: String?
    @Option(help: "A topic word.") var topic: String?
    @Option(help: "A free-text note.") var note: String?
    @Option(help: "The moment on the session clock (HH:MM:SS, MM:SS or seconds) instead of now.", transform: Duration.parse)
    var at: Double?
    @Flag(help: "Refuse a speaker who is not on the roster.") var strict = false
    @Option(help: "Delete the tag with this id.") var delete: String?
    @Option(help: "Move the tag with this id to --at.") var move: String?
    @Option(help: "Change the value of the tag with this id to --to.") var retag: String?
    @Option(help: "The new value for --retag.") var to: String?
    @Flag(help: "Print the event written as JSON.") var json = false
    @OptionGroup var archive: ArchiveOptions

    public func validate() throws {
        let tags = [speaker, agenda, topic, note].compactMap { $0 }.count
        let corrections = [delete, move, retag].compactMap { $0 }.count
        guard tags + corrections == 1 else {
            throw ValidationError("give exactly one of --speaker, --agenda, --topic, --note, --delete, --move, --retag")
        }
        if move != nil && at == nil { throw ValidationError("--move needs --at (the new moment)") }
        if retag != nil && to == nil { throw ValidationError("--retag needs --to (the new value)") }
        if (delete != nil || retag != nil) && session == nil { throw ValidationError("name the session when correcting a tag") }
    }

    public func run() throws {
        let console = Console()
        let tagger = Tagger(archive: archive.open(console: console))
        let id = try tagger.session(session)
        let event: SessionEvent
        if let target = delete ?? move ?? retag {
            let kind: SessionEvent.Kind = delete != nil ? .delete : move != nil ? .move : .retag
            event = try tagger.correct(session: id, target: target, kind: kind, moveTo: at, newValue: to)
            emit(event, text: "\(kind.rawValue) of tag \(target) recorded in \(id) (event \(event.id))")
            return
        }
        let (kind, value): (SessionEvent.Kind, String) =
            speaker.map { (.speaker, $0) } ?? agenda.map { (.agenda, $0) } ?? topic.map { (.topic, $0) } ?? (.note, note!)
        let result = try tagger.tag(session: id, kind: kind, value: value, at: at, strict: strict)
        for warning in result.warnings { console.warn(warning) }
        event = result.event
        let shown = event.agendaNumber.map { "\($0). \(event.value ?? "")" } ?? event.value ?? ""
        emit(event, text: "\(kind.rawValue) \(shown) at \(Format.clock(event.media ?? 0)) in \(id) (tag \(event.id))")
    }

    private func emit(_ event: SessionEvent, text: String) {
        if json, let data = try? JSONCoding.encoder(pretty: false).encode(event) {
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text)
        }
    }
}
