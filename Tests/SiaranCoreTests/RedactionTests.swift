import SiaranCore
import Testing

@Suite("Redaction of credentials")
struct RedactionTests {
    @Test("RTMP stream keys are hidden, the application is kept", arguments: [
        ("rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop", "rtmp://a.rtmp.youtube.com/live2/***"),
        ("rtmps://live-api-s.facebook.com:443/rtmp/FB-123?s_bl=1&s_sc=2", "rtmps://live-api-s.facebook.com:443/rtmp/***?s_bl=1&s_sc=2"),
        ("rtmp://127.0.0.1:1935/live", "rtmp://127.0.0.1:1935/live"),
    ])
    func rtmp(input: String, expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    @Test("tokens in queries and passwords in user info are hidden", arguments: [
        ("https://cdn.example.org/live/index.m3u8?token=s3cret&quality=hd", "https://cdn.example.org/live/index.m3u8?token=***&quality=hd"),
        ("https://h/x.m3u8?X-Amz-Signature=abc&Expires=1", "https://h/x.m3u8?X-Amz-Signature=***&Expires=1"),
        ("rtsp://admin:hunter2@10.0.0.5/stream1", "rtsp://admin:***@10.0.0.5/stream1"),
        ("srt://host:9000?streamid=publish:abc&passphrase=longsecret1", "srt://host:9000?streamid=***&passphrase=***"),
        ("/home/user/file.mp4", "/home/user/file.mp4"),
    ])
    func queries(input: String, expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    @Test("URLs inside free text are redacted")
    func freeText() {
        let line = "Opening 'https://h/seg1.ts?token=abc' for reading"
        #expect(Redaction.redactText(line) == "Opening 'https://h/seg1.ts?token=***' for reading")
    }
}

@Suite("Text folding")
struct TextFoldingTests {
    @Test("slugs are readable, ASCII and bounded")
    func slugs() {
        #expect(TextFolding.slug("Sosialisasi Juknis Bakohumas KPU, KPU Provinsi dan KPU Kab/Kota", limit: 40) == "sosialisasi-juknis-bakohumas-kpu-kpu-pro")
        #expect(TextFolding.slug("Rapat Pléno — Évaluasi") == "rapat-pleno-evaluasi")
        #expect(TextFolding.slug("../../etc/passwd") == "etc-passwd")
        #expect(TextFolding.slug("🎥") == "")
    }

    @Test("folding removes case and diacritics")
    func folding() {
        #expect(TextFolding.fold("ILHÁM Sapütra") == "ilham saputra")
    }
}

@Suite("Wall-clock times")
struct ISO8601Tests {
    @Test("a time survives any number of writes and reads unchanged")
    func roundTrip() {
        var date = ISO8601.parse("2026-11-29T01:52:52.820Z")!
        for _ in 0..<5 { date = ISO8601.parse(ISO8601.format(date))! }
        #expect(ISO8601.format(date) == "2026-11-29T01:52:52.820Z")
        #expect(ISO8601.parse("2021-09-15T10:00:00.000000Z") == ISO8601.parse("2021-09-15T10:00:00Z"))
    }
}
