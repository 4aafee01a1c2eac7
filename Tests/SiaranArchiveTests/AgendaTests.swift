import Foundation
import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

@Suite("Agenda and roster files")
struct AgendaTests {
    static let example: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Examples/bakohumas-2021-09-15.yaml").path
    }()

    @Test("the shipped example loads with its roster and agenda")
    func example() throws {
        let agenda = try AgendaFile.load(path: Self.example)
        #expect(agenda.organiser == "KPU RI")
        #expect(agenda.date == "2021-09-15")
        #expect(agenda.speakers.map(\.name) == ["Robby Leo Agust", "Ilham Saputra", "I Dewa Kade Wiarsa Raka Sandi", "Anisha Dasuki"])
        #expect(agenda.participants.count == 4)
        #expect(agenda.agenda.count == 5)
        #expect(agenda.agenda[1].speakers == ["Ilham Saputra"])
    }

    @Test("names match the roster ignoring case and accents, through aliases and unique parts")
    func nameMatching() throws {
        let agenda = try AgendaFile.load(path: Self.example)
        #expect(agenda.person(named: "ILHÁM saputra") == .speaker(agenda.speakers[1]))
        #expect(agenda.person(named: "pak ilham") == .speaker(agenda.speakers[1]))
        #expect(agenda.person(named: "anisha") == .speaker(agenda.speakers[3]))
        #expect(agenda.person(named: "Meydi") == .participant(agenda.participants[1]))
        #expect(agenda.person(named: "Budi Santoso") == .unknown)
        #expect(agenda.agendaItem("2")?.item.title == "Sambutan dan pembukaan kegiatan")
        #expect(agenda.agendaItem("public speaking")?.number == 4)
        #expect(agenda.agendaItem("9") == nil)
    }

    @Test("mistakes are reported with file, line, column and what was expected", arguments: [
        ("title: x\nspeakers:\n  - name: A\n    rol: b\n", "f.yaml:4:5: unknown field 'rol' in speaker"),
        ("title: [x\n", "f.yaml:1:8: not valid YAML"),
        ("title: x\ndate: 15/9/2021\n", "f.yaml:2:7: expected the date as YYYY-MM-DD"),
        ("speakers: Ilham\n", "f.yaml:1:11: expected a list of speakers"),
        ("agenda:\n  - description: no title\n", "f.yaml:2:5: an agenda item needs a 'title'"),
        ("speakers: [A]\nagenda:\n  - title: T\n    speakers: [B]\n", "f.yaml:4:15: agenda item 'T' names 'B', who is not among"),
        ("", "f.yaml:1:1: the file is empty"),
        ("- just\n- a list\n", "f.yaml:1:1: expected the agenda file as a mapping"),
        ("titel: typo\n", "f.yaml:1:1: unknown field 'titel'"),
    ])
    func errors(yaml: String, expected: String) {
        do {
            _ = try AgendaFile.parse(yaml, file: "f.yaml")
            Issue.record("accepted bad input: \(yaml)")
        } catch {
            #expect("\(error)".hasPrefix(expected), "got: \(error)")
        }
    }
}

@Suite("Session timeline from tags")
struct SessionTimelineTests {
    func tag(_ kind: SessionEvent.Kind, _ value: String, at: Double, id: String, number: Int? = nil) -> SessionEvent {
        SessionEvent(id: id, kind: kind, media: at, value: value, agendaNumber: number)
    }

    @Test("speaker turns and agenda items run from one tag to the next, or to the end")
    func intervals() {
        let events = [
            tag(.agenda, "Pembukaan", at: 0, id: "a1", number: 1),
            tag(.speaker, "Robby", at: 2, id: "s1"),
            tag(.speaker, "Ilham", at: 30, id: "s2"),
            tag(.agenda, "Sambutan", at: 31, id: "a2", number: 2),
            tag(.topic, "hoaks", at: 40, id: "t1"),
            tag(.speaker, "Ilham", at: 50, id: "s3"),
            tag(.note, "Q&A", at: 90, id: "n1"),
        ]
        let timeline = SessionTimeline(events: events, end: 100)
        #expect(timeline.speakerTurns.map(\.value) == ["Robby", "Ilham"])
        #expect(timeline.speakerTurns.map(\.start) == [2, 30])
        #expect(timeline.speakerTurns.map(\.end) == [30, 100])
        #expect(timeline.agendaItems.map(\.end) == [31, 100])
        #expect(timeline.speaker(at: 45)?.value == "Ilham")
        #expect(timeline.agendaItem(at: 10)?.agendaNumber == 1)
        #expect(timeline.speaker(at: 1) == nil)
        #expect(timeline.topics.map(\.value) == ["hoaks"])
        #expect(timeline.speakingTime.first?.name == "Ilham")
    }

    @Test("corrections delete, move and retag earlier tags without erasing history")
    func corrections() {
        let events = [
            tag(.speaker, "Robby", at: 0, id: "s1"),
            tag(.speaker, "Ilham", at: 20, id: "s2"),
            tag(.speaker, "Anisha", at: 40, id: "s3"),
            SessionEvent(kind: .move, media: 25, target: "s2"),
            SessionEvent(kind: .retag, value: "Raka Sandi", target: "s3"),
            SessionEvent(kind: .delete, target: "s1"),
        ]
        let timeline = SessionTimeline(events: events, end: 60)
        #expect(timeline.speakerTurns.map(\.value) == ["Ilham", "Raka Sandi"])
        #expect(timeline.speakerTurns.first?.start == 25)
    }

    @Test("the event log keeps every line, skips (and reports) a broken one")
    func eventLog() throws {
        let folder = TestFolder.make("eventlog")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = EventLog(path: folder + "/events.jsonl")
        try log.append(tag(.topic, "pemilu", at: 1, id: "x1"))
        // A crash mid-line leaves a fragment; the next append starts on a fresh line.
        let handle = FileHandle(forWritingAtPath: log.path)!
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"broken".utf8))
        handle.closeFile()
        try log.append(tag(.note, "lanjut", at: 2, id: "x2"))
        let read = log.read()
        #expect(read.events.map(\.id) == ["x1", "x2"])
        #expect(read.bad.map(\.line) == [2])
    }
}

@Suite("Wall clock to session time")
struct MediaTimeTests {
    @Test("a wall-clock moment maps through the segments' wall-clock starts, across a gap")
    func mapping() {
        let t0 = Date(timeIntervalSince1970: 1_631_700_000)
        var m = SessionManifest(id: "x", title: "x", kind: .live, source: "tcp://h", createdAt: t0, segmentFormat: "ts", targetSegmentDuration: 6)
        m.segments = [
            SegmentRecord(sequence: 0, file: "0.ts", mediaStart: 0, duration: 6, wallClockStart: t0, bytes: 1, discontinuity: false),
            SegmentRecord(sequence: 1, file: "1.ts", mediaStart: 6, duration: 6, wallClockStart: t0 + 6, bytes: 1, discontinuity: false),
            // 30 s gap, then the source came back.
            SegmentRecord(sequence: 2, file: "2.ts", mediaStart: 12.1, duration: 6, wallClockStart: t0 + 42, bytes: 1, discontinuity: true),
        ]
        m.state = .complete
        #expect(m.mediaTime(at: t0 + 3) == 3)
        #expect(m.mediaTime(at: t0 + 8.5) == 8.5)
        #expect(m.mediaTime(at: t0 + 20) == 12.1)
        #expect(m.mediaTime(at: t0 + 45) == 15.1)
        #expect(m.mediaTime(at: t0 - 5) == nil)
        #expect(m.mediaTime(at: t0 + 100) == nil)
    }
}
