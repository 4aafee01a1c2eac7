import Foundation
import SiaranArchive
import Testing

/// The web companion in a real browser: Debian's headless Chromium, driven by Selenium through
/// `Scripts/browser-check`, against `siaran serve` on loopback over a finished session and a live
/// recording (a real ffmpeg source).
@Suite("Web companion in Chromium", .timeLimit(.minutes(20)), .ownThreads)
struct BrowserTests {
    static let script: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Scripts/browser-check").path
    }()

    @Test("a clicked hit plays within 1.5 s of its moment; the MP4 fallback plays and seeks; a line starred and a frame picked for the news post; a speaker button tags the live session at the press")
    func browser() throws {
        let (folder, archive, finished) = try Harness.importedForBrowser("browser", seconds: 20)
        try "WEBVTT\n\n00:00:12.000 --> 00:00:15.000\nKami mengimbau agar tidak menyebarkan hoaks.\n".write(toFile: folder + "/notulen.vtt", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["captions", finished, folder + "/notulen.vtt", "--archive", archive]).status == 0)
        // Last month's agenda file, dated another day than this recording.
        try "title: Sosialisasi\ndate: 2021-09-15\nspeakers:\n  - name: Siti Rahma\n".write(toFile: folder + "/old.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", finished, folder + "/old.yaml", "--archive", archive]).status == 0)
        #expect(try Harness.run(["tag", finished, "--speaker", "Siti Rahma", "--at", "00:00:10", "--archive", archive]).status == 0)
        try Harness.addUser("tono", role: "tagger", archive: archive)

        // A live recording with a roster.
        let (live, source, recorder) = try Harness.liveRecording(into: archive, title: "Konferensi pers")
        defer { source.stop() }
        defer { recorder.stop() }
        let store = Archive(path: archive)
        try "speakers:\n  - name: Budi Santoso\n    role: Ketua\n  - name: Dewi Lestari\nagenda:\n  - title: Pengantar\n".write(toFile: folder + "/agenda.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", live, folder + "/agenda.yaml", "--archive", archive]).status == 0)

        let port = Harness.freePort()
        // The office's zone: Jakarta (WIB); the pages must say so whatever this machine's zone is.
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"],
                                     environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })

        let check = try Harness.Running("/usr/bin/env", ["python3", Self.script, "--base", "http://127.0.0.1:\(port)", "--user", "tono",
                                                         "--password", "kata-sandi-rahasia", "--session", finished, "--query", "hoaks",
                                                         "--live", live, "--officer"]).wait(timeout: 280)
        #expect(check.status == 0, "browser-check: \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]) ?? [:]
        let search = results["search"] as? [String: Any]
        #expect(search?["ok"] as? Bool == true && search?["target"] as? Double == 12, "\(results)")
        #expect((results["mp4"] as? [String: Any])?["mode"] as? String == "mp4")
        // The officer's flows (#25): every check by name, so a failure says which.
        let officer = results["officer"] as? [String: [String: Any]] ?? [:]
        #expect(officer.count >= 20, "officer checks missing: \(officer.keys.sorted())")
        // The captions as the video's text track, from the master playlist (issue 32), at both widths.
        #expect(officer["desktop captions track"] != nil && officer["phone captions track"] != nil, "\(officer.keys.sorted())")
        for (name, check) in officer.sorted(by: { $0.key < $1.key }) {
            #expect(check["ok"] as? Bool == true, "\(name): \(check)")
        }
        // The starred line and the photo are in the session's post.
        let post = try NewsPostStore(archive: store).load(finished)
        #expect(post.quotes.map(\.text) == ["Kami mengimbau agar tidak menyebarkan hoaks."] && post.quotes.first?.starredBy == "web:tono", "\(results)")
        #expect(post.photo != nil && NewsPostStore(archive: store).photo(finished)?.prefix(2) == Data([0xFF, 0xD8]))
        // The tag is in events.jsonl, by tono, at the moment of the press.
        let pressedAt = try #require((results["live"] as? [String: Any])?["pressedAt"] as? Double)
        let tag = try #require(EventLog(path: store.eventsPath(of: live)).read().events.first { $0.kind == .speaker })
        #expect(tag.value == "Budi Santoso" && tag.author == "web:tono")
        let manifest = try store.loadManifest(live)
        let expected = try #require(manifest.mediaTime(at: Date(timeIntervalSince1970: pressedAt / 1000)))
        #expect(abs((tag.media ?? -1) - expected) < 0.5, "tag at \(tag.media ?? -1), the press was at \(expected)")
    }
}
