import Foundation
@testable import SiaranCore
import Testing

@Suite("Redaction of credentials")
struct RedactionTests {
    @Test("RTMP stream keys are hidden, the application is kept", arguments: [
        ("rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop", "rtmp://a.rtmp.youtube.com/live2/***"),
        ("rtmps://live-api-s.facebook.com:443/rtmp/FB-123?s_bl=1&s_sc=2", "rtmps://live-api-s.facebook.com:443/rtmp/***?s_bl=1&s_sc=2"),
        ("rtmp://127.0.0.1:1935/live/KEY/", "rtmp://127.0.0.1:1935/live/***/"),
        ("rtmp://127.0.0.1:1935/KEY", "rtmp://127.0.0.1:1935/***"),
        ("rtmp://h/live/part/of/key", "rtmp://h/live/***/***/***"),
    ])
    func rtmp(input: String, expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    @Test("query and fragment values, passwords and opaque path parts are hidden; shape, numbers and harmless options stay", arguments: [
        ("https://cdn.example.org/live/index.m3u8?token=s3cret&quality=hd", "https://cdn.example.org/live/index.m3u8?token=***&quality=hd"),
        ("https://h/x.m3u8?X-Amz-Signature=abc&Expires=1", "https://h/x.m3u8?X-Amz-Signature=***&Expires=1"),
        ("https://h/x.m3u8?user=budi&id=abc", "https://h/x.m3u8?user=***&id=***"),
        ("rtsp://admin:hunter2@10.0.0.5/stream1", "rtsp://admin:***@10.0.0.5/stream1"),
        ("rtsp://admin:pa/ss#w@10.0.0.5/stream1", "rtsp://admin:***@10.0.0.5/stream1"),
        ("srt://host:9000?streamid=publish:abc&passphrase=longsecret1", "srt://host:9000?streamid=***&passphrase=***"),
        ("srt://host:9000?streamid=#!::r=live,s=SECRET&latency=200", "srt://host:9000?streamid=***&latency=200"),
        ("https://h/live/index.m3u8;token=abc#token=def", "https://h/live/index.m3u8;token=***#token=***"),
        ("https://r1.googlevideo.com/videoplayback/expire/1700000000/sig/AOq0QJ8w/lsig/ABCdef/file/index.m3u8",
         "https://r1.googlevideo.com/videoplayback/expire/1700000000/sig/***/lsig/***/file/index.m3u8"),
        ("https://h/hls/8f2c1e9a7b6d4c3e2f1a0b9c8d7e6f5a/index.m3u8", "https://h/hls/***/index.m3u8"),
        ("https://h/live/ch1/playlist.m3u8", "https://h/live/ch1/playlist.m3u8"),
        ("/home/user/file.mp4", "/home/user/file.mp4"),
    ])
    func queries(input: String, expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    /// Real-world shapes of secret-bearing URLs, each secret written SECRETnnnn so a survivor shows.
    static let shapes = [
        "https://manifest.googlevideo.com/api/manifest/hls_playlist/expire/1700000000/ei/SECRET0001ab/ip/1.2.3.4/id/x/sig/SECRET0002/lsig/SECRET0003/playlist/index.m3u8",
        "https://pull.example.cn/live/ch.m3u8?txSecret=SECRET0004&txTime=65A1B2C3",
        "https://wowza.example.org/live/ngrp:ch_all/playlist.m3u8?wowzatokenhash=SECRET0005",
        "https://akamai.example.net/i/live_1@1/master.m3u8?hdntl=exp=1~acl=/*~hmac=SECRET0006",
        "https://cf.example.com/hls/index.m3u8?Policy=SECRET0007&Signature=SECRET0008&Key-Pair-Id=SECRET0009",
        "https://storage.googleapis.com/b/o.m3u8?X-Goog-Algorithm=GOOG4&X-Goog-Credential=SECRET0010&X-Goog-Signature=SECRET0011",
        "https://h/live.m3u8?jwt=SECRET0012&auth_key=SECRET0013&api-key=SECRET0014&access-token=SECRET0015",
        "https://h/live.m3u8?access%5Ftoken=SECRET0016",
        "https://h/live.m3u8;jsessionid=SECRET0017",
        "https://h/live.m3u8#token=SECRET0018",
        "rtmp://live.twitch.tv/app/live_123456_SECRET0019",
        "rtmps://live-api-s.facebook.com:443/rtmp/FB-1234-0-SECRET0020",
        "rtmp://h/SECRET0021",
        "srt://h:9000?streamid=#!::r=live/ch1,m=publish,s=SECRET0022",
        "rtsp://cam:SECRET0023@192.168.1.10:554/Streaming/Channels/101",
        "rtsp://cam:SECRET0024/with/slash@192.168.1.10:554/ch1",
        "https://u:SECRET0025#x@h/live.m3u8",
        "https://zoom.example/rtmp-restream/live/SECRET0026abcdef1234",
    ]

    @Test("no secret of a real-world URL shape survives, alone or inside a log line")
    func realWorldShapes() {
        for url in Self.shapes {
            let redacted = Redaction.redact(url)
            #expect(!redacted.contains("SECRET"), "\(url) -> \(redacted)")
            #expect(redacted.hasPrefix(String(url.prefix { $0 != ":" }) + "://"))
            let line = Redaction.redactText("Opening '\(url)' for reading")
            #expect(!line.contains("SECRET"), "\(line)")
        }
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

    @Test("written and read as Foundation's ISO 8601 formatter does, over four centuries")
    func agreesWithFoundation() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        let instants = [-86_400_000.0, -1, 0, 951_782_400_000, 951_868_799_999, 4_107_542_399_999] // 1969, 2000-02-29, 2100-02-28
            + (0..<2000).map { _ in Double(Int64.random(in: -5_000_000_000_000...8_000_000_000_000, using: &generator)) }
        for millis in instants {
            let date = Date(timeIntervalSince1970: millis / 1000)
            let written = ISO8601.format(date)
            #expect(written == reference.string(from: date), "\(millis)")
            #expect(ISO8601.parse(written) == date, "\(written)")
        }
    }

    @Test("offsets, fraction digits and case are read; anything else is refused")
    func reading() {
        let utc = ISO8601.parse("2024-02-14T03:00:00Z")!
        #expect(ISO8601.parse("2024-02-14T10:00:00+07:00") == utc)
        #expect(ISO8601.parse("2024-02-14T10:00:00+0700") == utc)
        #expect(ISO8601.parse("2024-02-13T23:30:00-03:30") == utc)
        #expect(ISO8601.parse("2024-02-14t03:00:00z") == utc)
        #expect(ISO8601.parse("2024-02-14T03:00:00.1234Z") == Date(timeIntervalSince1970: utc.timeIntervalSince1970 + 0.123))
        #expect(ISO8601.parse("2024-02-14T03:00:00.9996Z") == Date(timeIntervalSince1970: utc.timeIntervalSince1970 + 1))
        for bad in ["", "2024-02-14", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
                    "2024-02-14T24:00:00Z", "2024-02-14T03:60:00Z", "2024-02-14T03:00:00", "2024-02-14T03:00:00.Z",
                    "2024-02-14T03:00:00Zjunk", "2024-2-14T03:00:00Z", "٢٠٢٤-02-14T03:00:00Z", "2024-02-14T03:00:00+7"] {
            #expect(ISO8601.parse(bad) == nil, "\(bad)")
        }
        #expect(ISO8601.parse("2024-02-29T00:00:00Z") != nil)
        // Absurd instants are written within years 0001-9999, never trap.
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1e300)) == "9999-12-31T23:59:59.999Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -.infinity)) == "1970-01-01T00:00:00.000Z")
    }

    @Test("the local calendar day names a session")
    func localDay() {
        let date = ISO8601.parse("2024-02-14T12:00:00Z")!
        var parts = DateComponents()
        let calendar = Calendar(identifier: .gregorian)
        parts = calendar.dateComponents(in: TimeZone.current, from: date)
        #expect(ISO8601.localDay(date) == Decimals.padded(parts.year!, width: 4) + "-" + Decimals.padded(parts.month!, width: 2) + "-" + Decimals.padded(parts.day!, width: 2))
    }
}

@Suite("Numbers as text")
struct DecimalsTests {
    @Test("rounded to the asked places, as printf would write them")
    func fixed() {
        for (value, places) in [(6.0, 3), (5.9996, 3), (0.0004, 3), (-0.25, 1), (-0.04, 1), (1234.5678, 2), (2.5, 0), (1e6 / 3, 1), (12.0, 0)] {
            #expect(Decimals.string(value, places: places) == String(format: "%.\(places)f", value).replacingOccurrences(of: "-0.0", with: "0.0"),
                    "\(value) \(places)")
        }
        #expect(Decimals.string(.nan, places: 2) == "0")
        #expect(Decimals.string(.infinity, places: 2) == "0")
        #expect(Decimals.padded(7, width: 6) == "000007")
        #expect(Decimals.padded(1234567, width: 6) == "1234567")
    }
}
