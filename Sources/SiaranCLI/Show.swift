import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Show: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Show one session: source, streams, segments, gaps, agenda with times, speaker turns, topics, notes."
    )

    @Argument(help: "Session id or a unique part of it (default: the session being recorded now, else the latest).") var session: String?
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var office: OfficeOptions
    @Flag(help: "Print {session, agenda, timeline} as JSON (times in ISO 8601 with the office zone's offset).") var json = false

    public func run() throws {
        let archive = archive.open()
        let time = try office.time()
        let language = try office.chosenLanguage()
        let d = try SessionDetails(archive: archive, id: try archive.chosenSession(session))
        if json {
            print(String(decoding: try JSONCoding.encoder(zone: time.zone).encode(d), as: UTF8.self))
            return
        }
        let m = d.session
        print("\(d.title)")
        print("  id:        \(m.id)")
        print("  state:     \(m.state.rawValue)\(m.stopReason.map { " (\($0))" } ?? "")")
        print("  source:    \(m.source)")
        if SessionManager(archive: archive).isPinned(m.id) { print("  pinned:    yes (retention never deletes it; siaran unpin \(m.id))") }
        if let start = m.startedAt { print("  started:   \(time.dateTime(start, language: language))") }
        if let end = m.endedAt { print("  ended:     \(time.dateTime(end, language: language))") }
        if let check = AgendaDateCheck(d, zone: time.zone), check.differs {
            let agenda = AgendaDateCheck.written(check.agendaDay, language: language)
            print("  date:      the agenda says \(agenda), the recording \(AgendaDateCheck.written(check.recordingDay, language: language)); "
                  + "the report and news post use the \(check.stands.rawValue)'s\(check.chosen == nil ? " (choose: siaran agenda \(m.id) --date recording|agenda)" : "")")
        }
        print("  media:     \(Format.clock(m.mediaDuration)) in \(m.segments.count) \(m.segmentFormat) segments, \(Format.bytes(m.mediaBytes))")
        print("  playlist:  \(archive.playlistPath(of: m.id))")
        for s in m.streams { print("  stream:    \(s.summary)") }
        for file in d.captions { print("  captions:  \(file.name)\(file.machineTranscript.map { " (\($0))" } ?? "")") }
        if m.reconnects > 0 { print("  reconnects: \(m.reconnects)") }
        for gap in m.gaps {
            print("  gap:       \(time.dateTime(gap.wallClockStart, language: language)) for \(Decimals.string(gap.duration, places: 1)) s at \(Format.clock(gap.mediaPosition)) (\(gap.reason))")
        }
        for warning in m.warnings { print("  note:      \(warning)") }
        if !d.unreadableEventLines.isEmpty {
            print("  warning:   events.jsonl lines \(d.unreadableEventLines.map(String.init).joined(separator: ", ")) are not events and were skipped")
        }
        let t = d.timeline
        if let items = d.agenda?.agenda, !items.isEmpty {
            print("\nAgenda")
            for (index, item) in items.enumerated() {
                let runs = t.agendaItems.filter { $0.agendaNumber == index + 1 }
                let times = runs.isEmpty ? "not tagged" : runs.map { "\(Format.clock($0.start))–\(Format.clock($0.end))" }.joined(separator: ", ")
                print("  \(index + 1). \(item.title)  [\(times)]")
            }
        }
        if !t.speakerTurns.isEmpty {
            print("\nSpeaker turns")
            for turn in t.speakerTurns {
                let role = d.roleLine(turn.value)
                print("  \(Format.clock(turn.start))–\(Format.clock(turn.end))  \(Format.clock(turn.duration))  \(turn.value)\(role.isEmpty ? "" : " (\(role))")\(turn.onRoster == false ? " [not on roster]" : "")  #\(turn.id)")
            }
        }
        if !t.suggestedTurns.isEmpty {
            print("\nSuggested from the voices (confirm or dismiss in the web companion)")
            for turn in t.suggestedTurns {
                let who = turn.value.isEmpty ? "voice \(turn.voice ?? 0), no name yet" : turn.value + "? (" + (turn.basis ?? "") + ")"
                print("  \(Format.clock(turn.start))–\(Format.clock(turn.end))  \(Format.clock(turn.duration))  \(who)  #\(turn.id)")
            }
        }
        if !t.topics.isEmpty {
            print("\nTopics")
            for topic in t.topics { print("  \(Format.clock(topic.at))  \(topic.value)  #\(topic.id)") }
        }
        if !t.notes.isEmpty {
            print("\nNotes")
            for note in t.notes { print("  \(Format.clock(note.at))  \(note.value)  #\(note.id)") }
        }
    }
}
