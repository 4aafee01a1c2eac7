import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

@Suite("Joining two sessions of one briefing split by an outage")
struct SessionMergeTests {
    /// A finished session of `count` 6-s segments from `start`, with a caption line and a speaker tag.
    static func session(_ archive: Archive, _ title: String, start: Date, count: Int, caption: String, speaker: String) throws -> String {
        let id = try archive.createSessionDirectory(title: title, date: start)
        var m = SessionManifest(id: id, title: title, kind: .live, source: "rtmp://x/live/KEY", createdAt: start, segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.startedAt = start
        m.endedAt = start.addingTimeInterval(Double(count) * 6)
        m.segments = (0..<count).map { SegmentRecord(sequence: $0, file: String(format: "%06d.ts", $0), mediaStart: Double($0) * 6, duration: 6,
                                                     wallClockStart: start.addingTimeInterval(Double($0) * 6), bytes: 4, discontinuity: false) }
        try archive.saveManifest(m)
        for segment in m.segments { try Data("\(id)/\(segment.sequence)".utf8).write(to: URL(fileURLWithPath: archive.mediaDirectory(of: id) + "/" + segment.file)) }
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try AtomicFile.write(Data(WebVTT.render([Cue(start: 2, end: 5, text: caption)]).utf8), to: archive.captionsDirectory(of: id) + "/notulen.vtt")
        _ = try Tagger(archive: archive).tag(session: id, kind: .speaker, value: speaker, at: 1)
        return id
    }

    @Test("the later session's media, tags and captions follow the earlier's, the outage is a gap of its real length, both originals are in the trash")
    func join() throws {
        let archive = Archive(path: TestFolder.make("merge"))
        try archive.prepare()
        let start = ISO8601.parse("2024-02-05T02:00:00.000Z")!
        let a = try Self.session(archive, "Rapat pleno", start: start, count: 3, caption: "Rapat kita buka.", speaker: "Ahmad Fauzi")
        // The stream came back 10 minutes after the first part ended (18 s of media).
        let b = try Self.session(archive, "Rapat pleno lanjutan", start: start.addingTimeInterval(18 + 600), count: 2, caption: "Kita lanjutkan.", speaker: "Siti Rahma")
        let manager = SessionManager(archive: archive)
        #expect(throws: ManageError.mergeSame) { _ = try manager.merge(a, a, by: nil) }
        let joined = try manager.merge(b, a, by: "web:ada")  // either order: the earlier one comes first
        #expect(archive.sessionIDs() == [joined] && Set(manager.trash().map(\.id)) == [a, b])
        let m = try archive.loadManifest(joined)
        #expect(m.title == "Rapat pleno" && m.segments.map(\.mediaStart) == [0, 6, 12, 18, 24] && m.segments.map(\.sequence) == [0, 1, 2, 3, 4])
        #expect(m.segments[3].discontinuity && !m.segments[2].discontinuity)
        let outage = try #require(m.gaps.last)
        #expect(outage.duration == 600 && outage.mediaPosition == 18)
        for segment in m.segments {
            #expect(PlainFile.isPlainFile(archive.mediaDirectory(of: joined) + "/" + segment.file))
        }
        #expect(try String(contentsOfFile: archive.mediaDirectory(of: joined) + "/" + m.segments[3].file, encoding: .utf8) == "\(b)/0")
        let playlist = try String(contentsOfFile: archive.playlistPath(of: joined), encoding: .utf8)
        #expect(playlist.contains("#EXT-X-DISCONTINUITY") && playlist.contains("#EXT-X-ENDLIST"))
        let timeline = try SessionDetails(archive: archive, id: joined).timeline
        #expect(timeline.speakerTurns.map(\.value) == ["Ahmad Fauzi", "Siti Rahma"] && timeline.speakerTurns.map(\.start) == [1, 19])
        let vtt = try #require(try PlainFile.read(archive.captionsDirectory(of: joined) + "/notulen.vtt"))
        let lines = vtt.withUnsafeBytes { WebVTT.parse($0) }.map(\.cue)
        #expect(lines.map(\.text) == ["Rapat kita buka.", "Kita lanjutkan."] && lines.map(\.start) == [2, 20], "\(lines)")
        let join = EventLog(path: archive.eventsPath(of: joined)).read().events.last
        #expect(join?.kind == .session && join?.value == "merge" && join?.author == "web:ada")
    }

    @Test("officers' corrections of both parts follow their lines into the joined session")
    func corrections() throws {
        let archive = Archive(path: TestFolder.make("merge-fix"))
        try archive.prepare()
        let start = ISO8601.parse("2024-02-05T02:00:00.000Z")!
        let a = try Self.session(archive, "Rapat pleno", start: start, count: 3, caption: "Rapat kita bukak.", speaker: "Ahmad Fauzi")
        let b = try Self.session(archive, "Rapat pleno lanjutan", start: start.addingTimeInterval(618), count: 2, caption: "Naftar pemilih.", speaker: "Siti Rahma")
        _ = try CorrectedTranscript.correct(TranscriptCorrection(action: .edit, file: "notulen.vtt", at: 2, text: "Rapat kita buka."), archive: archive, id: a)
        _ = try CorrectedTranscript.correct(TranscriptCorrection(action: .edit, file: "notulen.vtt", at: 2, text: "Daftar pemilih tetap."), archive: archive, id: b)
        let joined = try SessionManager(archive: archive).merge(a, b, by: "web:ada")
        let lines = CorrectedTranscript.lines(archive: archive, id: joined)
        #expect(lines.map(\.cue.text) == ["Rapat kita buka.", "Daftar pemilih tetap."] && lines.map(\.cue.start) == [2, 20], "\(lines)")
        #expect(lines.allSatisfy(\.corrected) && lines.map(\.original) == ["Rapat kita bukak.", "Naftar pemilih."])
        let derived = try #require(try PlainFile.read(archive.correctedCaptionsPath(of: joined)))
        #expect(String(decoding: derived, as: UTF8.self).contains("Daftar pemilih tetap."), "the search index reads the corrected lines")
    }
}
