import Foundation
import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

@Suite("Voice suggestions on the timeline")
struct VoiceTimelineTests {
    func speaker(_ name: String, at: Double, id: String, target: String? = nil) -> SessionEvent {
        SessionEvent(id: id, kind: .speaker, media: at, value: name, target: target)
    }

    func voice(_ id: String, _ person: String?, _ start: Double, _ end: Double, voice number: Int, run: String = "r1",
               basis: String? = "library") -> SessionEvent {
        SessionEvent(id: id, kind: .voice, media: start, value: person, author: Tagger.voicesAuthor, until: end, voice: number,
                     similarity: basis == "library" ? 0.86 : nil, basis: person == nil ? nil : basis, run: run)
    }

    /// The officer tagged Ilham at 10; the run heard voice 1 (10–40, wrongly "Anisha"), Raka (40–70)
    /// and an unnamed voice (70–90), then a pause to the end at 100.
    var base: [SessionEvent] {
        [speaker("Ilham", at: 10, id: "s1"),
         voice("v1", "Anisha", 10, 40, voice: 1), voice("v2", "Raka", 40, 70, voice: 2), voice("v3", nil, 70, 90, voice: 3)]
    }

    func summary(_ t: SessionTimeline) -> [String] {
        t.effectiveTurns.map { "\($0.value)\($0.isSuggested ? "?" : "") \(Int($0.start))-\(Int($0.end))" }
    }

    @Test("old event lines decode unchanged, and a voice event keeps its fields in the log")
    func format() throws {
        let old = #"{"id":"t1","kind":"speaker","media":12.5,"value":"Ilham Saputra","onRoster":true,"recordedAt":"2021-09-15T02:00:00.000Z"}"#
        let event = try JSONCoding.decoder().decode(SessionEvent.self, from: Data(old.utf8))
        #expect(event.kind == .speaker && event.until == nil && event.voice == nil && event.run == nil)
        let again = String(decoding: try JSONCoding.encoder().encode(event), as: UTF8.self)
        for key in ["until", "voice", "similarity", "basis", "run"] { #expect(!again.contains("\"\(key)\"")) }
        var suggestion = voice("v9", "Raka Sandi", 3, 9.5, voice: 2)
        suggestion.recordedAt = Date(timeIntervalSince1970: 1_631_671_200)
        let line = try JSONCoding.encoder(pretty: false).encode(suggestion)
        let back = try JSONCoding.decoder().decode(SessionEvent.self, from: line)
        #expect(back == suggestion)
        #expect(String(decoding: line, as: UTF8.self).contains(#""kind":"voice""#))
    }

    @Test("an officer's tag wins over the voice turn it falls in; suggestions fill the rest, unnamed voices are nobody")
    func tagAndSuggestionOverlap() {
        let t = SessionTimeline(events: base, end: 100)
        #expect(summary(t) == ["Ilham 10-40", "Raka? 40-70", "Ilham 90-100"])
        #expect(t.suggestedTurns.map(\.id) == ["v2", "v3"])
        #expect(t.suggestedTurns.last?.value == "" && t.suggestedTurns.last?.voice == 3)
        #expect(t.effectiveSpeaker(at: 20)?.value == "Ilham")
        #expect(t.effectiveSpeaker(at: 50)?.value == "Raka" && t.effectiveSpeaker(at: 50)?.isSuggested == true)
        #expect(t.effectiveSpeaker(at: 80) == nil)
        #expect(t.speaker(at: 50)?.value == "Ilham")  // the officer's own turns are unchanged
        #expect(t.speakerTurns.count == 1 && t.speakerTurns[0].suggested == nil)
        let time = t.effectiveSpeakingTime
        #expect(time.map(\.name) == ["Ilham", "Raka"])
        #expect(time[0].seconds == 40 && time[0].suggested == 0 && time[1].suggested == 30)
    }

    @Test("a tag on the first part of a long turn names the whole stretch of that voice, not only its first part")
    func tagNamesWholeStretch() {
        // The engine suggests Ilham's 18 s turn in three parts; a fourth part after a 2 s pause and
        // a different voice stay suggestions.
        let events = [speaker("Ilham", at: 0, id: "s1"),
                      voice("a", "Ilham", 0, 6, voice: 1), voice("b", "Ilham", 6, 12, voice: 1), voice("c", "Ilham", 12.3, 18, voice: 1),
                      voice("d", "Ilham", 20, 26, voice: 1), voice("e", "Raka", 26, 30, voice: 2)]
        let t = SessionTimeline(events: events, end: 30)
        #expect(t.suggestedTurns.map(\.id) == ["d", "e"])
        #expect(t.effectiveSpeaker(at: 15)?.value == "Ilham" && t.effectiveSpeaker(at: 15)?.isSuggested == false)
        #expect(t.effectiveSpeaker(at: 27)?.value == "Raka" && t.effectiveSpeaker(at: 27)?.isSuggested == true)
    }

    @Test("an anonymous visitor's timeline keeps the officer's tags and drops every suggestion")
    func withoutSuggestions() {
        let shown = SessionTimeline(events: base, end: 100).withoutSuggestions
        #expect(shown.suggestedTurns.isEmpty)
        #expect(summary(shown) == ["Ilham 10-100"])
    }

    @Test("a tag made in a pause names the voice turn starting within 4 s")
    func tagInPause() {
        let events = [voice("v1", "Raka", 0, 20, voice: 1), voice("v2", "Raka", 23, 50, voice: 1), speaker("Anisha", at: 21, id: "s1")]
        #expect(summary(SessionTimeline(events: events, end: 60)) == ["Raka? 0-20", "Anisha 21-60"])
    }

    @Test("confirming ('yes' or 'someone else') makes the turn the officer's; undoing the confirmation brings the suggestion back")
    func confirm() {
        let yes = SessionTimeline(events: base + [speaker("Raka", at: 40, id: "c1", target: "v2")], end: 100)
        #expect(summary(yes) == ["Ilham 10-40", "Raka 40-70", "Raka 90-100"])
        #expect(yes.suggestedTurns.map(\.id) == ["v3"])
        let other = SessionTimeline(events: base + [speaker("Anisha", at: 40, id: "c1", target: "v2")], end: 100)
        #expect(summary(other) == ["Ilham 10-40", "Anisha 40-70", "Anisha 90-100"])
        let undone = SessionTimeline(events: base + [speaker("Raka", at: 40, id: "c1", target: "v2"),
                                                     SessionEvent(kind: .delete, target: "c1")], end: 100)
        #expect(summary(undone) == summary(SessionTimeline(events: base, end: 100)))
    }

    @Test("dismissing leaves the officer's tags (or nobody) there, and a rerun does not ask again")
    func dismiss() {
        let events = base + [SessionEvent(kind: .delete, target: "v2")]
        let t = SessionTimeline(events: events, end: 100)
        #expect(summary(t) == ["Ilham 10-70", "Ilham 90-100"])
        #expect(t.suggestedTurns.map(\.id) == ["v3"])
        let rerun = events + [voice("w1", "Ilham", 10, 42, voice: 1, run: "r2", basis: "tag"), voice("w2", "Raka", 42, 71, voice: 2, run: "r2")]
        #expect(SessionTimeline(events: rerun, end: 100).suggestedTurns.isEmpty)
    }

    @Test("a later run replaces every earlier run's suggestions; within a run a later pass replaces what it overlaps")
    func rerun() {
        let events = base + [voice("w1", "Raka", 0, 30, voice: 1, run: "r2"), voice("w2", "Anisha", 30, 60, voice: 2, run: "r2")]
        let t = SessionTimeline(events: events, end: 100)
        #expect(t.suggestedTurns.map(\.id) == ["w1", "w2"])
        #expect(t.suggestedTurns.first?.end == 10)  // the officer's tag at 10 protects 10–30
        #expect(summary(t) == ["Raka? 0-10", "Ilham 10-30", "Anisha? 30-60", "Ilham 60-100"])
        let live = [voice("a", "Raka", 0, 30, voice: 1, run: "live"), voice("b", "Anisha", 30, 40, voice: 2, run: "live"),
                    voice("c", "Anisha", 25, 45, voice: 2, run: "live")]
        let l = SessionTimeline(events: live, end: 45)
        #expect(l.suggestedTurns.map { "\($0.id) \(Int($0.start))-\(Int($0.end))" } == ["a 0-25", "c 25-45"])
    }

    @Test("a session without voice events has exactly its tagged turns")
    func noVoices() {
        let events = [speaker("Robby", at: 2, id: "s1"), speaker("Ilham", at: 30, id: "s2")]
        let t = SessionTimeline(events: events, end: 100)
        #expect(t.effectiveTurns == t.speakerTurns)
        #expect(t.suggestedTurns.isEmpty)
        #expect(t.effectiveSpeaker(at: 45)?.value == "Ilham" && t.effectiveSpeaker(at: 1) == nil)
    }

    @Test("confirm and dismiss through the event log: the officer's answers are tags, refused for unknown suggestions")
    func tagger() throws {
        let archive = Archive(path: TestFolder.make("voices"))
        defer { try? FileManager.default.removeItem(atPath: archive.root) }
        try archive.prepare()
        let start = Date(timeIntervalSince1970: 1_631_671_200)
        let id = try archive.createSessionDirectory(title: "Briefing", date: start)
        var m = SessionManifest(id: id, title: "Briefing", kind: .imported, source: "x.mp4", createdAt: start, segmentFormat: "ts",
                                targetSegmentDuration: 6)
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 100, wallClockStart: start, bytes: 1,
                                    discontinuity: false)]
        try archive.saveManifest(m)
        let log = EventLog(path: archive.eventsPath(of: id))
        for event in base { try log.append(event) }
        let tagger = Tagger(archive: archive)
        let (confirm, _) = try tagger.confirmSuggestion(session: id, suggestion: "v2", person: "Raka", author: "ana@office")
        #expect(confirm.kind == .speaker && confirm.target == "v2" && confirm.media == 40 && confirm.author == "ana@office")
        _ = try tagger.dismissSuggestion(session: id, suggestion: "v3")
        let t = try tagger.timeline(of: id)
        #expect(t.suggestedTurns.isEmpty)
        #expect(t.effectiveSpeaker(at: 50)?.isSuggested == false)
        #expect(throws: VoiceSuggestionError.noSuchSuggestion("v2")) { try tagger.dismissSuggestion(session: id, suggestion: "v2") }
    }
}
