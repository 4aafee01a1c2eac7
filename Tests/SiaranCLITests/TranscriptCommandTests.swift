import Foundation
import SiaranArchive
@testable import SiaranCLI
import SiaranCore
import SiaranTestSupport
import Testing

@Suite("siaran transcript correct")
struct TranscriptCommandTests {
    @Test("a moment inside a line corrects that line's text and speaker; a moment with no line says where the nearest is")
    func correct() throws {
        let archive = Archive(path: TestFolder.make("transcript-cli"))
        try archive.prepare()
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        try archive.saveManifest(SessionManifest(id: id, title: "Rapat pleno", kind: .imported, source: "/tmp/x.mp4", createdAt: Date(),
                                                 segmentFormat: "ts", targetSegmentDuration: 6))
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try "WEBVTT\n\n00:01:00.000 --> 00:01:04.000\nNaftar pemilih sudah diumumkan.\n".write(toFile: archive.machineTranscriptPath(of: id), atomically: true, encoding: .utf8)

        let fix = try #require(try SiaranCommand.parseAsRoot(["transcript", "correct", id, "00:01:02", "Daftar pemilih tetap sudah diumumkan.",
                                                               "--speaker", "Ilham Saputra", "--archive", archive.root]) as? TranscriptCommand.Correct)
        try fix.run()
        let line = try #require(CorrectedTranscript.lines(archive: archive, id: id).first)
        #expect(line.cue.text == "Daftar pemilih tetap sudah diumumkan." && line.cue.voice == "Ilham Saputra" && line.original == "Naftar pemilih sudah diumumkan.")
        #expect(CorrectionLog(path: archive.correctionsPath(of: id)).read().map(\.action) == [.speaker, .edit])

        let nowhere = try #require(try SiaranCommand.parseAsRoot(["transcript", "correct", id, "00:05:00", "teks", "--archive", archive.root]) as? TranscriptCommand.Correct)
        do {
            try nowhere.run()
            Issue.record("a moment with no line was accepted")
        } catch {
            #expect("\(error)".contains("the nearest starts at") && "\(error)".contains("Daftar pemilih tetap"), "\(error)")
        }
        #expect(throws: (any Error).self) { try SiaranCommand.parseAsRoot(["transcript", "correct", id, "00:01:02", "--archive", archive.root]) }
    }
}
