import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Speaker turns suggested from the voices in search: `--speaker` finds them (by name and roster
/// alias), marks them "Name?", and ranks them below the turns an officer tagged.
@Suite("Voice suggestions in search")
struct VoiceSearchTests {
    let folder = TestFolder.make("voice-search")

    func voice(_ id: String, _ person: String?, _ start: Double, _ end: Double, _ number: Int) -> SessionEvent {
        SessionEvent(id: id, kind: .voice, media: start, value: person, author: Tagger.voicesAuthor, until: end, voice: number,
                     basis: person == nil ? nil : "tag", run: "r1")
    }

    @Test("--speaker finds suggested turns, marked, ranked after confirmed ones", arguments: TestEngine.all)
    func suggestedSpeakers(engine: TestEngine) async throws {
        let date = ISO8601Parse("2024-08-06T02:00:00Z")
        var m = SessionManifest(id: "2024-08-06-pleno", title: "Pleno", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 600, wallClockStart: date, bytes: 1, discontinuity: false)]
        let roster = [Person(name: "Ilham Saputra", role: "Ketua", aliases: ["Pak Ketua"]), Person(name: "Anisha Dasuki")]
        let agenda = Agenda(title: "Pleno", speakers: roster, agenda: [])
        // The officer tagged Ilham once, at 0; the voices heard him again from 100 and Anisha at 50-100.
        let events = [SessionEvent(kind: .speaker, media: 0, value: "Ilham Saputra"),
                      voice("v1", "Ilham Saputra", 0, 50, 1), voice("v2", "Anisha Dasuki", 50, 100, 2), voice("v3", "Ilham Saputra", 100, 150, 1),
                      voice("v4", nil, 150, 200, 3)]
        let cues = [Cue(start: 10, end: 13, text: "Pembahasan anggaran pertama untuk tahun depan yang cukup panjang"),
                    Cue(start: 60, end: 63, text: "Anggaran kedua"), Cue(start: 120, end: 123, text: "Anggaran anggaran ketiga"),
                    Cue(start: 160, end: 163, text: "Anggaran keempat")]
        let captions = try CaptionSource.write(cues, to: folder + "/\(engine).vtt")
        let session = IndexedSession(manifest: m, agenda: agenda, timeline: SessionTimeline(events: events, end: 600), captions: [captions],
                                     fingerprint: "f")
        let catalog = try engine.makeIndex(folder: folder + "/\(engine)")
        try await catalog.replace([session])
        let search = ArchiveSearch(index: catalog)

        let all = try await search.run("anggaran")
        // Unfiltered, the suggested line scores above the confirmed one (two matching words in a short line).
        #expect(all.hits.map(\.seconds).firstIndex(of: 120)! < all.hits.map(\.seconds).firstIndex(of: 10)!, "\(all.hits.map(\.seconds))")
        #expect(all.hits.first { $0.seconds == 160 }?.speaker == nil)  // an unnamed voice is nobody
        let ilham = try await search.run("anggaran", filters: SearchFilters(speaker: "ilham"))
        #expect(ilham.hits.map(\.seconds) == [10, 120], "\(ilham.hits.map(\.seconds))")
        #expect(ilham.hits.map(\.speaker) == ["Ilham Saputra", "Ilham Saputra?"])
        #expect(try await search.run("anggaran", filters: SearchFilters(speaker: "pak ketua")).hits.map(\.seconds) == [10, 120])
        let anisha = try await search.run("anggaran", filters: SearchFilters(speaker: "anisha"))
        #expect(anisha.hits.map(\.seconds) == [60] && anisha.hits[0].speaker == "Anisha Dasuki?")
    }
}
