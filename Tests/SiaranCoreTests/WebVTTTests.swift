import Foundation
@testable import SiaranCore
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

    @Test("a voice tag names the cue's speaker, and Siaran's own files keep it")
    func voices() {
        #expect(WebVTT.voice("<v Ilham Saputra>Selamat pagi") == "Ilham Saputra")
        #expect(WebVTT.voice("<v.loud Ketua KPU>Baik") == "Ketua KPU")
        #expect(WebVTT.voice("  <v   Anisha >teks") == "Anisha")
        #expect(WebVTT.voice("<vx>no") == nil && WebVTT.voice("<v>") == nil && WebVTT.voice("plain <v A>") == nil)
        let cues = [Cue(start: 1, end: 2, text: "Kami menolak hoaks", voice: "Ilham <Ketua>"), Cue(start: 3, end: 4, text: "tanpa suara")]
        let read = parse(WebVTT.render(cues))
        #expect(read.map(\.cue) == cues)
    }

    @Test("other WebVTT: headers, NOTE blocks, cue ids, settings, CRLF, short times, several text lines, markup")
    func tolerant() {
        let text = "WEBVTT - a title\r\n\r\nNOTE made by hand\r\n\r\n1\r\n00:01.000 --> 00:02.500 align:start\r\n<v Ilham>Pemilu</v> serentak\r\ndan <i>sosialisasi</i>\r\n\r\n"
            + "01:00:00.000 --> 01:00:01.000\nlast line"
        let read = parse(text)
        #expect(read.map(\.cue) == [Cue(start: 1, end: 2.5, text: "Pemilu serentak dan sosialisasi", voice: "Ilham"),
                                    Cue(start: 3600, end: 3601, text: "last line")])
        // The text range points at the cue's lines in the file.
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[read[1].text], as: UTF8.self) == "last line")
        #expect(String(decoding: bytes[read[0].text], as: UTF8.self).hasPrefix("<v Ilham>"))
    }

    @Test("absurd times are written clamped, never trap")
    func absurdTimes() {
        let text = WebVTT.render([Cue(start: 9.2e18, end: .infinity, text: "a"), Cue(start: -5, end: .nan, text: "b")])
        #expect(parse(text).map(\.cue.text) == ["a", "b"])
        #expect(parse(text)[0].cue.start == WebVTT.latest)
    }

    @Test("fuzz regression: a combining mark after a removed tag or a space reads back unchanged")
    func fuzzRoundTrip() throws {
        // Found by `Fuzz/run` (captions target): cleaning merged a combining mark into a space on the
        // second reading, so the text changed when Siaran read back what it wrote.
        let encoded = "V0VCVlRUCjA6MAowMDowMS4wMDIgLS0+IDAwMDowMDoyLjUwMAowMDowMDowMDowMy4wMDAgLS0+IDAwOjAwOjA0LjAwCj4KCjAwOjAwOjAzLjAwMCAtLT4gMDA6MDA6MDQuMDAwCjAtLT4gMDA6MCYwLjAwMCAtClBlbTAwOjCx6jowW0NPTEZ2IEh0c2E+bVMKCjAwOjAwOjAxLjAwMCAtLT4gMDAwOjAxMDQuMDAwCj4gMDAw////////////////////bVMwMToyLjUzMAo8diBJbGhhPm1TCgowMDowMDowMy4wMDAgLS0+IDAwOjAwOjA0LjAwMAo+IDAwMDowMDoyLjUwMAo+CgowMDowMDowMy4wMDAgLS0+IDAwOjAwOjA0LjAwCj4KXQowMDowMDowMC4wMzAgLS0+IDAwOjAwOjA0LjA8diBJbGhhPm1TCgoxMDowMDowMy4wMDAgLS0+IDAwOjAwMTA0LjAwMAo+IDAwMP///////////////21TIElsaGF2IEl0c2E+bVNdCjAwOjAwOjAxLjAwMCAtLT4gMDAwOjAwOjIuNTAwCjx2IElsaGE+bVMKCjAwOjAwOjAzLjAwMCAtLT4gMDA6MDA6MDQuMDAwCj4gMDAwOjAwMDMuMDAwIC0tPiAwMDowMDowNC4wMAo+CgowMDowMDowMy4wMDAgLS0+IDAwOjAwOjA0LjAwMAowLS0+IDAwOjAmMC4wMDAgLQpQZW0wMDowseo6MFtDT0xGdiBIdHNhPm1TCgowMDowMDowMS4wMDAgLS0+IDAwMDowMTA0LjAwMAo+IDAwMP///////////////////21TMDE6Mi41MzAKzYkgSWxoYT5tUwoKMDA6MDA6MDMuMDAwIC0tPiAwMDowMDowNC4wMDAKPiAwMDA6MDA6Mi41MDAKPgoKMDA6MDA6MDMuMDAwIC0tPiAwMDowMDowNC4wMAo+Cl0KMDA6MDA6MDAuMDMwIC0tPiAwMDowMDowNC4wPHYgSWxoYT5tUwoKMTA6MDA6MDMuMDAwIC0tPiAwMDowMDEwNC4wMDAKPiAwMDD///////////////9tUyBJbGhhdiBJdHNhPm1TCgowMDowMDowMS4wMDAgLS0+IDAwMDowMDoyLjUwMAo8diBJbGhhPm1TCgowMDowMDowMy4wMDAgLS0+IDAwOjAwOjA0LjAwMAo+IDAwMDowMDoyLjUwMAo+CgowMDowMDowMy4wMDAgLS0+IDAwOjAwOjA0LjAwCj4KCjAwOjAwOjAzLjAwMCAtLT4gMDA6MDA6MDQuMDAwCjAtLT4gMDA6MCYwLjAwMCAtClBlbTAwOjCx6jowW0NPTEZ2IEh0c2E+bVMKCjAwOjAwOjAxLjAwMCAtLT4gMDAwOjAxMDQuMDAwCj4gMDAw////////////////////bVMwMToyLjUzMAo8diBJbGhhPm1TCgowNC4wMAo+Cl0KMDA6MDA6MDAuMDMwIC0tPiAwMDowMDowNC4wPHYgSWxoYT5tUwoKMDowMC4wMzAgLS0+IDAwOjAwOjA0LjAwMApI+88wOjAwOjIuNTAwCj4KCjAwOjAwPiAwMDo6MLgwNDAuMDAwCkhvYYFzIQo="
        let input = try #require(Data(base64Encoded: encoded))
        let cues = input.withUnsafeBytes { WebVTT.parse($0) }.map(\.cue)
        #expect(!cues.isEmpty)
        #expect(parse(WebVTT.render(cues)).map(\.cue.text) == cues.map(\.text))
        let marks = "a <i>\u{349}b</i> \u{301}c &amp;\u{301}lt; d"
        #expect(WebVTT.clean(WebVTT.clean(marks)) == WebVTT.clean(marks))
    }

    @Test("garbage gives no cues and no crash", arguments: ["", "WEBVTT", "00:00 --> 00:01\nx", "99:99:99.999 --> \nx", "-->\n-->\n"])
    func garbage(text: String) {
        #expect(parse(text).isEmpty)
    }
}

@Suite("Text for terminals")
struct TerminalTextTests {
    @Test("escape sequences (titles, hyperlinks, clipboard, clear screen, status queries) and bidi overrides are neutralised")
    func controlSequences() {
        let hostile = "a\u{1B}]0;title\u{07}b\u{1B}]8;;http://x\u{1B}\\c\u{1B}]52;c;ZWNobw==\u{07}d\u{1B}[2J\u{1B}[6ne\u{9B}31mf\u{202E}g\u{7F}"
        let safe = TerminalText.safe(hostile)
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
        #expect(safe.hasPrefix("a\u{FFFD}]0;title\u{FFFD}b"))
        #expect(TerminalText.safe("baris satu\nbaris dua") == "baris satu\nbaris dua")
        #expect(TerminalText.safe("baris satu\nbaris dua", keepLineBreaks: false) == "baris satu baris dua")
        #expect(TerminalText.safe("Sosialisasi Pemilu — Jum'at") == "Sosialisasi Pemilu — Jum'at")
    }
}
