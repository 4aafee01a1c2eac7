import Foundation
import SiaranArchive
import SiaranCatalogSQLite
import SiaranSearch
import SiaranTestSupport
import Testing

@Suite("Search and clip end to end", .timeLimit(.minutes(20)), .ownThreads)
struct SearchEndToEndTests {
    struct Hits: Decodable {
        struct Hit: Decodable, Equatable {
            var session: String
            var seconds: Double
            var speaker: String?
            var agenda: String?
            var matched: String
            var text: String
        }
        var hits: [Hit]
    }

    func search(_ archive: String, _ arguments: [String]) throws -> [Hits.Hit] {
        let result = try Harness.run(["search"] + arguments + ["--archive", archive, "--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONDecoder().decode(Hits.self, from: Data(result.stdout.utf8)).hits
    }

    @Test("a session recorded live, tagged and captioned is found at the right moment, and a clip of the hit plays")
    func liveSessionSearch() async throws {
        let archive = Harness.temporaryFolder("archive")
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let recorder = try Harness.start(["record", url, "--archive", archive, "--agenda", CompanionTests.example,
                                          "--segment-duration", "2", "--wait", "20", "--stop-after", "14"])
        #expect(Harness.waitUntil(timeout: 20) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 1 })
        let id = try #require(Harness.currentSession(in: archive)?.id)
        #expect(try Harness.run(["tag", "--archive", archive, "--speaker", "Ilham", "--at", "1"]).status == 0)
        #expect(try Harness.run(["tag", "--archive", archive, "--agenda", "2", "--at", "1"]).status == 0)
        #expect(recorder.wait(timeout: 60).status == 0)
        // After the fact, by session id.
        #expect(try Harness.run(["tag", id, "--archive", archive, "--speaker", "Raka Sandi", "--at", "7"]).status == 0)
        #expect(try Harness.run(["tag", id, "--archive", archive, "--agenda", "3", "--at", "7"]).status == 0)

        let srt = archive + "/transcript.srt"
        try """
        1
        00:00:02,000 --> 00:00:04,000
        Bakohumas di semua aras dilaksanakan dengan aktif.

        2
        00:00:08,500 --> 00:00:11,000
        Kita mensosialisasikan tahapan kepada para pemilih.

        """.write(toFile: srt, atomically: true, encoding: .utf8)
        let attach = try Harness.run(["captions", id, srt, "--archive", archive])
        #expect(attach.status == 0, "\(attach.stderr)")

        let sosialisasi = try search(archive, ["sosialisasi"])
        let hit = try #require(sosialisasi.first { $0.matched == "caption" })
        #expect(hit.seconds == 8.5)
        #expect(hit.speaker == "I Dewa Kade Wiarsa Raka Sandi")
        #expect(hit.agenda == "Materi program Bakohumas KPU")
        let early = try #require(try search(archive, ["aktif", "--speaker", "ilham"]).first { $0.matched == "caption" })
        #expect(early.seconds == 2 && early.agenda == "Sambutan dan pembukaan kegiatan")
        #expect(try search(archive, ["aktif", "--speaker", "anisha"]).isEmpty)

        // A clip around the hit: starts at the keyframe at or before --from, lasts the range within a GOP.
        let clip = archive + "/hit.mp4"
        let cut = try Harness.run(["clip", id, "--around", String(hit.seconds), "--before", "2", "--after", "3", "-o", clip, "--archive", archive])
        #expect(cut.status == 0, "\(cut.stderr)")
        let check = try Harness.decodesCleanly(clip)
        #expect(check.ok, "\(check.errors)")
        let duration = try Harness.probeDuration(clip)
        #expect(duration >= 5 - 0.1 && duration <= 5 + 1.1, "clip of 5 s lasts \(duration) s")

        // The catalog is derived: delete it, rebuild, same answers.
        let before = try search(archive, ["pemilih OR bakohumas"])
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: archive + "/catalog.sqlite" + suffix) }
        #expect(try Harness.run(["reindex", "--archive", archive]).status == 0)
        #expect(try search(archive, ["pemilih OR bakohumas"]) == before)
    }

    @Test("any query text gets an answer or a clear message, never an SQLite error or a crash")
    func hostileQueries() async throws {
        let archive = Harness.temporaryFolder("archive")
        let queries = ["\"unbalanced", "AND OR NOT", "' OR 1=1; DROP TABLE doc; --", "NEAR(a b)", "col:umn", "^start", "(((", "😀 pemilu 🎥",
                       String(repeating: "pemilu ", count: 1500), "*", "- -", "OR pemilu"]
        for query in queries {
            let result = try Harness.run(["search", "--archive", archive, "--", query])
            #expect(!result.stderr.contains("SQLite") && !result.stderr.contains("Fatal error") && !result.stderr.contains("fts5"), "\(query): \(result.stderr)")
            #expect(result.status == 0 || result.stderr.contains("cannot search for that"), "\(query.prefix(40)): \(result.status) \(result.stderr)")
        }
    }

    @Test("subtitles carried in a live stream are captured as captions and searchable at their moment")
    func liveSubtitles() async throws {
        let folder = Harness.temporaryFolder("subs")
        try """
        1
        00:00:01,000 --> 00:00:02,500
        Selamat pagi para pemilih

        2
        00:00:04,000 --> 00:00:05,500
        Kita membahas <i>hoaks</i> pemilu

        3
        00:00:06,000 --> 00:00:06,500
        Terima kasih

        """.write(toFile: folder + "/s.srt", atomically: true, encoding: .utf8)
        let port = Harness.freePort()
        // The generated picture and tone, plus the subtitle file as a third input, streamed as Matroska.
        let inputs = Array(Harness.liveEncode.prefix { $0 != "-c:v" })
        let encode = Array(Harness.liveEncode.drop { $0 != "-c:v" })
        let source = try Harness.Running("/usr/bin/ffmpeg", inputs + ["-i", folder + "/s.srt", "-map", "0", "-map", "1", "-map", "2"] + encode
                                         + ["-c:s", "srt", "-t", "14", "-f", "matroska", "tcp://127.0.0.1:\(port)?listen=1"])
        defer { source.stop() }
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "tcp://127.0.0.1:\(port)", "--archive", archive, "--segment-duration", "2", "--wait", "20", "--stop-after", "11"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        // (ffmpeg's Matroska muxer holds a sparse subtitle packet until the next one: cue 3 releases cue 2.)
        let vtt = try String(contentsOfFile: Archive(path: archive).captionsDirectory(of: manifest.id) + "/live.vtt", encoding: .utf8)
        #expect(vtt.contains("Selamat pagi para pemilih") && vtt.contains("Kita membahas hoaks pemilu"))
        let hit = try #require(try search(archive, ["hoaks"]).first { $0.matched == "caption" })
        #expect(abs(hit.seconds - 4) <= 1, "captured cue at \(hit.seconds) s")
        // The catalog keeps no caption text: the hit's text is read back from live.vtt.
        #expect(hit.text == "Kita membahas hoaks pemilu")
        // live.vtt only grew while recording, so every re-index removed the old rows exactly.
        #expect(try await SQLiteCatalog(path: archive + "/catalog.sqlite").staleEntries() == 0)
    }

    @Test("a transcript running past the end of the recording is attached with a warning, and bad files are refused")
    func captionsChecks() async throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/x.mp4", seconds: 4)
        let archive = Harness.temporaryFolder("archive")
        let id = try Harness.run(["import", folder + "/x.mp4", "--archive", archive]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nawal\n\n01:00:00.000 --> 01:00:02.000\nterlambat\n"
            .write(toFile: folder + "/t.vtt", atomically: true, encoding: .utf8)
        let late = try Harness.run(["captions", id, folder + "/t.vtt", "--archive", archive])
        #expect(late.status == 0 && late.stderr.contains("1 of the cues start after the end of the recording"), "\(late.stderr)")
        try Data("not captions at all \u{0}\u{1}".utf8).write(to: URL(fileURLWithPath: folder + "/bad.vtt"))
        let bad = try Harness.run(["captions", id, folder + "/bad.vtt", "--archive", archive])
        #expect(bad.status != 0 && bad.stderr.contains("bad.vtt"), "\(bad.stderr)")
    }
}
