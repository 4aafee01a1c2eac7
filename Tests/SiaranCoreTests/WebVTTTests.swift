import Foundation
import SiaranCore
import Testing

@Suite("Siaran's own WebVTT files")
struct WebVTTTests {
    func parse(_ text: String) -> [WebVTT.Located] {
        Data(text.utf8).withUnsafeBytes { WebVTT.parse($0) }
    }

    @Test("what is written reads back unchanged, markup-like text included")
    func roundTrip() {
        let cues = [
            Cue(start: 0, end: 1.5, text: "Selamat pagi, Bapak & Ibu"),
            Cue(start: 3661.042, end: 3662, text: "a <b> c --> d &amp; e"),
            Cue(start: 5, end: 4, text: "ends before it starts"),
        ]
        let rendered = WebVTT.render(cues)
        #expect(!rendered.contains("<b>") && !rendered.contains("c --> d"))
        let read = parse(rendered)
        #expect(read.map(\.cue.text) == cues.map(\.text))
        #expect(read.map(\.cue.start) == [0, 3661.042, 5])
        #expect(read.map(\.cue.end) == [1.5, 3662, 5])
    }

    @Test("other WebVTT: headers, NOTE blocks, cue ids, settings, CRLF, short times, several text lines, markup")
    func tolerant() {
        let text = "WEBVTT - a title\r\n\r\nNOTE made by hand\r\n\r\n1\r\n00:01.000 --> 00:02.500 align:start\r\n<v Ilham>Pemilu</v> serentak\r\ndan <i>sosialisasi</i>\r\n\r\n"
            + "01:00:00.000 --> 01:00:01.000\nlast line"
        let read = parse(text)
        #expect(read.map(\.cue) == [Cue(start: 1, end: 2.5, text: "Pemilu serentak dan sosialisasi"),
                                    Cue(start: 3600, end: 3601, text: "last line")])
        // The text range points at the cue's lines in the file.
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[read[1].text], as: UTF8.self) == "last line")
        #expect(String(decoding: bytes[read[0].text], as: UTF8.self).hasPrefix("<v Ilham>"))
    }

    @Test("garbage gives no cues and no crash", arguments: ["", "WEBVTT", "00:00 --> 00:01\nx", "99:99:99.999 --> \nx", "-->\n-->\n"])
    func garbage(text: String) {
        #expect(parse(text).isEmpty)
    }
}
