import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

@Suite("Loading a session for the index")
struct SessionIndexLoaderTests {
    @Test("corrected lines are indexed as the loader writes corrected.vtt: the file's cues, length and hash, the replaced line left out")
    func correctedAsWritten() throws {
        let archive = Archive(path: TestFolder.make("loader"))
        try archive.prepare()
        let id = try TestSession.add(to: archive, number: 1, started: Date(), caption: "Rapat kita mulai", media: [])
        _ = try CorrectedTranscript.correct(TranscriptCorrection(action: .edit, file: "subtitles.vtt", at: 1, text: "Rapat pleno kita mulai."),
                                           archive: archive, id: id)
        // Gone (a restore, a hand edit): the loader writes it again from the corrections and indexes that text.
        let path = archive.correctedCaptionsPath(of: id)
        #expect(unlink(path) == 0)
        let captions = try SessionIndexLoader.load(archive, id).captions
        let written = try CaptionSource.read(path: path)
        let indexed = try #require(captions.first { $0.path == path })
        #expect(indexed.cues.map(\.cue.text) == ["Rapat pleno kita mulai."])
        #expect(indexed.cues == written.cues && indexed.bytes == written.bytes && indexed.hash == written.hash)
        #expect(captions.first { $0.path.hasSuffix("/subtitles.vtt") }?.cues.isEmpty == true)
    }
}
