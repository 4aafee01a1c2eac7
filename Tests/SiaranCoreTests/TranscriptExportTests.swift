import Foundation
import SiaranCore
import Testing

@Suite("Transcript exports")
struct TranscriptExportTests {
    let cues = [Cue(start: 1.5, end: 4, text: "Selamat pagi,\nBapak dan Ibu.", voice: "Ilham Saputra"),
                Cue(start: 3725.25, end: 3728, text: "Kami mengimbau agar tidak menyebarkan hoaks.")]

    @Test("plain text: the moment, who spoke, the words on one line")
    func text() {
        #expect(TranscriptExport.render(cues, format: .txt)
                == "[00:00:01] Ilham Saputra: Selamat pagi, Bapak dan Ibu.\n[01:02:05] Kami mengimbau agar tidak menyebarkan hoaks.\n")
    }

    @Test("SubRip: numbered cues, comma milliseconds, the speaker before the words")
    func srt() {
        #expect(TranscriptExport.render(cues, format: .srt) == """
            1
            00:00:01,500 --> 00:00:04,000
            Ilham Saputra: Selamat pagi, Bapak dan Ibu.

            2
            01:02:05,250 --> 01:02:08,000
            Kami mengimbau agar tidak menyebarkan hoaks.


            """)
    }

    @Test("WebVTT: voice tags, read back by Siaran's own reader with speaker and times")
    func vtt() throws {
        let text = TranscriptExport.render(cues, format: .vtt)
        #expect(text.hasPrefix("WEBVTT\n\n00:00:01.500 --> 00:00:04.000\n<v Ilham Saputra>Selamat pagi, Bapak dan Ibu."))
        let back = Data(text.utf8).withUnsafeBytes { WebVTT.parse($0) }.map(\.cue)
        #expect(back.map(\.voice) == ["Ilham Saputra", nil] && back.map(\.start) == [1.5, 3725.25], "\(back)")
    }
}
