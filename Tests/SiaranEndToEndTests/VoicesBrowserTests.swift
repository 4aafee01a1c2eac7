import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// Voice suggestions (issue #31) in Debian's headless Chromium, driven by `Scripts/browser-voices`,
/// against `siaran serve` on loopback: confirmed with one click on the session page (desktop and phone)
/// and on the live console of a real recording.
@Suite("Voice suggestions in Chromium", .timeLimit(.minutes(20)))
struct VoicesBrowserTests {
    static let script: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Scripts/browser-voices").path
    }()

    /// A `voice` event as the voices worker writes it.
    static func suggestion(_ start: Double, _ end: Double, _ person: String?, voice: Int) -> SessionEvent {
        SessionEvent(kind: .voice, media: start, value: person, author: "siaran-voices", until: end, voice: voice,
                     similarity: person == nil ? nil : 0.86, basis: person == nil ? nil : "library", run: "r1")
    }

    /// Runs `Scripts/browser-voices FLOW` against a server over `archive`: its checks, each expected ok.
    static func run(_ flow: String, archive: String, _ arguments: [String]) throws -> [String: [String: Any]] {
        let port = Harness.freePort()
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"],
                                         environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var all = [Self.script, flow, "--base", "http://127.0.0.1:\(port)", "--user", "tono", "--password", "kata-sandi-rahasia"] + arguments
        if let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"] { all += ["--shots", shots] }
        let check = try Harness.Running("/usr/bin/env", ["python3"] + all).wait(timeout: 240)
        #expect(check.status == 0, "browser-voices \(flow): \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [String: Any]]) ?? [:]
        print("browser-voices \(flow): \(check.stdout.prefix(3000))")
        for (name, result) in results.sorted(by: { $0.key < $1.key }) {
            #expect(result["ok"] as? Bool == true, "\(name): \(result)")
        }
        return results
    }

    @Test("a tagger confirms a suggested turn with one click and names another with a several-word name typed into the page, at desktop and phone width; the timeline and the transcript then show the officer's speaker, and the log holds speaker tags naming the suggestions")
    func sessionPage() throws {
        let (folder, archive, id) = try Harness.importedForBrowser("voices-browser", seconds: 36)
        let lines = [(2, "Selamat pagi, rapat koordinasi kita mulai."), (9, "Kami mengimbau agar tidak menyebarkan hoaks."),
                     (16, "Daftar pemilih tetap sudah ditetapkan."), (23, "Sosialisasi dilakukan di setiap kecamatan."),
                     (30, "Terima kasih atas perhatian Bapak dan Ibu.")]
        let vtt = "WEBVTT\n\n" + lines.map { String(format: "00:00:%02d.000 --> 00:00:%02d.000\n", $0.0, $0.0 + 3) + $0.1 + "\n" }.joined(separator: "\n")
        try vtt.write(toFile: folder + "/notulen.vtt", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["captions", id, folder + "/notulen.vtt", "--archive", archive]).status == 0)
        try "title: Rapat koordinasi\nspeakers:\n  - name: Ilham Saputra\n    role: Ketua\n  - name: Siti Rahma\n    role: Anggota\n"
            .write(toFile: folder + "/agenda.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", id, folder + "/agenda.yaml", "--archive", archive]).status == 0)
        #expect(try Harness.run(["tag", id, "--speaker", "Siti Rahma", "--at", "00:00:01", "--archive", archive]).status == 0)
        let store = Archive(path: archive)
        // Fixture suggestions, as the worker writes them: desktop answers the first two, the phone the others.
        let suggested = [Self.suggestion(8, 14, "Ilham Saputra", voice: 1), Self.suggestion(15, 21, nil, voice: 2),
                         Self.suggestion(22, 28, "Ilham Saputra", voice: 1), Self.suggestion(29, 35, "Siti Rahma", voice: 3)]
        for event in suggested { try EventLog(path: store.eventsPath(of: id)).append(event) }
        try Harness.addUser("tono", role: "tagger", archive: archive)

        let results = try Self.run("session", archive: archive, ["--session", id, "--name", "Rina Kartika Sari",
                                                                  "--desktop", "\(suggested[0].id),\(suggested[1].id)",
                                                                  "--phone", "\(suggested[2].id),\(suggested[3].id)"])
        #expect(results.count == 8, "checks missing: \(results.keys.sorted())")
        let answers = EventLog(path: store.eventsPath(of: id)).read().events.filter { $0.kind == .speaker && $0.target != nil }
        #expect(answers.map(\.target) == suggested.map(\.id))
        #expect(answers.map(\.value) == ["Ilham Saputra", "Rina Kartika Sari", "Ilham Saputra", "Rina Kartika Sari"])
        #expect(answers.map(\.media) == [8, 15, 22, 29] && answers.allSatisfy { $0.author == "web:tono" })
        #expect(try SessionDetails(archive: store, id: id).timeline.suggestedTurns.isEmpty)
    }

    @Test("on the live console of a real recording, a suggestion the worker writes appears within seconds and one click confirms it")
    func liveConsole() throws {
        let (folder, archive, _) = try Harness.importedForBrowser("voices-live", seconds: 2)
        let (live, source, recorder) = try Harness.liveRecording(into: archive, title: "Konferensi pers")
        defer { source.stop() }
        defer { recorder.stop() }
        try "title: Konferensi pers\nspeakers:\n  - name: Ilham Saputra\n  - name: Siti Rahma\n".write(toFile: folder + "/agenda.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", live, folder + "/agenda.yaml", "--archive", archive]).status == 0)
        try Harness.addUser("tono", role: "tagger", archive: archive)
        let store = Archive(path: archive)
        let event = Self.suggestion(1, 4, "Ilham Saputra", voice: 1)
        let line = String(decoding: try JSONCoding.encoder(pretty: false).encode(event), as: UTF8.self)
        let results = try Self.run("live", archive: archive, ["--session", live, "--events", store.eventsPath(of: live), "--line", line])
        #expect(results.count == 2, "checks missing: \(results.keys.sorted())")
        let answer = EventLog(path: store.eventsPath(of: live)).read().events.first { $0.kind == .speaker && $0.target == event.id }
        #expect(answer?.value == "Ilham Saputra" && answer?.media == 1 && answer?.author == "web:tono")
    }
}
