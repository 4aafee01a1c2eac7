import Foundation
import SiaranCLI
import SiaranArchive
import SiaranCore
import SiaranTestSupport
import Testing

@Suite("Keys and taggers while recording")
struct LiveKeysTests {
    /// An archive with one session in state `recording` whose lock this process holds.
    func recordingSession(_ archive: Archive, title: String) throws -> (String, SessionLock) {
        let id = try archive.createSessionDirectory(title: title, date: Date())
        let now = Date()
        var m = SessionManifest(id: id, title: title, kind: .live, source: "tcp://127.0.0.1:1", createdAt: now, segmentFormat: "ts", targetSegmentDuration: 6)
        m.openSegment = OpenSegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, wallClockStart: now.addingTimeInterval(-30), discontinuity: false)
        try archive.saveManifest(m)
        try archive.saveAgenda(Agenda(speakers: [Person(name: "Robby Leo Agust"), Person(name: "Ilham Saputra", aliases: ["Ketua"])],
                                      agenda: [AgendaItem(title: "Pembukaan"), AgendaItem(title: "Sambutan")]), of: id)
        return (id, try #require(SessionLock(path: archive.lockPath(of: id))))
    }

    @Test("short commands typed on the recorder's terminal tag the session at the live moment")
    func keys() throws {
        let archive = Archive(path: TestFolder.make("archive"))
        let (id, lock) = try recordingSession(archive, title: "Keys")
        defer { withExtendedLifetime(lock) {} }
        let console = Console(isTerminal: false)
        console.quiet = true
        let keys = LiveKeys(tagger: Tagger(archive: archive), console: console)
        keys.start(session: id, agenda: archive.loadAgenda(id))
        #expect(keys.handle("2")?.contains("speaker: Ilham Saputra at 00:00:3") == true)
        #expect(keys.handle("a 2")?.contains("agenda: 2. Sambutan") == true)
        #expect(keys.handle("t hoaks") != nil)
        #expect(keys.handle("n tanya jawab") != nil)
        #expect(keys.handle("9") == nil, "no speaker 9 on the roster")
        #expect(keys.handle("?") == nil)
        let events = EventLog(path: archive.eventsPath(of: id)).read().events
        #expect(events.map(\.kind) == [.speaker, .agenda, .topic, .note])
        #expect(events.allSatisfy { abs(($0.media ?? 0) - 30) < 1 })
    }

    @Test("tag without a session: the one recording now, or a clear question when several are")
    func whichSession() throws {
        let archive = Archive(path: TestFolder.make("archive"))
        let tagger = Tagger(archive: archive)
        #expect(throws: TagError.self) { try tagger.session(nil) }
        let (first, lock1) = try recordingSession(archive, title: "Satu")
        defer { withExtendedLifetime(lock1) {} }
        #expect(try tagger.session(nil) == first)
        let (second, lock2) = try recordingSession(archive, title: "Dua")
        defer { withExtendedLifetime(lock2) {} }
        do {
            _ = try tagger.session(nil)
            Issue.record("expected a question")
        } catch let error as TagError {
            #expect("\(error)".contains(first) && "\(error)".contains(second) && "\(error)".contains("name one"))
        }
    }
}
