import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// Voice suggestions (issue #31) in Debian's headless Chromium, driven by `Scripts/browser-voices`,
/// against `siaran serve` on loopback: the real engine's (`siaran voices`) confirmed with one click on
/// the session page (desktop and phone), and one written as the worker writes it confirmed on the live
/// console of a real recording.
@Suite("Voice suggestions in Chromium", .timeLimit(.minutes(20)), .ownThreads)
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
    static func run(_ flow: String, archive: String, user: String = "tono", _ arguments: [String]) throws -> [String: [String: Any]] {
        let port = Harness.freePort()
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"],
                                         environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var all = [Self.script, flow, "--base", "http://127.0.0.1:\(port)", "--user", user, "--password", "kata-sandi-rahasia"] + arguments
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

    @Test("the real engine's suggestions (siaran voices over three espeak-ng voices): a tagger confirms one with one click and names others with several-word names typed into the page, at desktop and phone width; the timeline and the transcript then show the officer's speaker, and the log holds speaker tags naming the suggestions")
    func sessionPage() throws {
        try #require(FileManager.default.fileExists(atPath: VoiceWorkerTests.model), "no voice model: run Scripts/setup-speech")
        let (folder, archive, _) = try Harness.importedForBrowser("voices-browser", seconds: 1)
        // Seven turns of three voices: the officer tags Ilham and Evi at their first turns; Viryan is never tagged.
        let voices = Dictionary(VoiceWorkerTests.turns.map { ($0.person, $0) }, uniquingKeysWith: { first, _ in first })
        let order = ["Ilham Saputra", "Evi Novida", "Viryan Aziz", "Ilham Saputra", "Evi Novida", "Viryan Aziz", "Ilham Saputra"]
        let (wav, spoken) = try VoiceWorkerTests.briefing(in: folder, turns: order.map { voices[$0]! })
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=size=160x120:rate=10", "-i", wav,
                                                           "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "aac",
                                                           folder + "/voices.mp4"]).wait(timeout: 120)
        try #require(made.status == 0, "\(made.stderr)")
        let imported = try Harness.run(["import", folder + "/voices.mp4", "--archive", archive, "--segment-duration", "2"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A transcript line in the middle of each turn.
        let stamp = { (t: Double) in String(format: "00:%02d:%06.3f", Int(t) / 60, t.truncatingRemainder(dividingBy: 60)) }
        let vtt = "WEBVTT\n\n" + spoken.enumerated().map { index, turn in
            let middle = (turn.start + turn.end) / 2
            return "\(stamp(middle - 1)) --> \(stamp(middle + 1))\n" + VoiceWorkerTests.sentences[index % 2] + "\n"
        }.joined(separator: "\n")
        try vtt.write(toFile: folder + "/notulen.vtt", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["captions", id, folder + "/notulen.vtt", "--archive", archive]).status == 0)
        try "title: Rapat koordinasi\nspeakers:\n  - name: Ilham Saputra\n  - name: Evi Novida\n".write(toFile: folder + "/agenda.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", id, folder + "/agenda.yaml", "--archive", archive]).status == 0)
        for turn in spoken.prefix(2) {
            #expect(try Harness.run(["tag", id, "--speaker", turn.person, "--at", ClockFormat.string(turn.start + 0.3), "--archive", archive]).status == 0)
        }
        #expect(try Harness.run(["voices", "--enable", "--archive", archive]).status == 0)
        let ran = try Harness.run(["voices", id, "--archive", archive], timeout: 300)
        try #require(ran.status == 0, "\(ran.stderr)")
        let store = Archive(path: archive)
        let open = try Tagger(archive: store).timeline(of: id).suggestedTurns
        // The suggestion heard in the middle of each untagged turn: Viryan unnamed, the others by name.
        let heard = try spoken.dropFirst(2).map { turn in
            let middle = (turn.start + turn.end) / 2
            return try #require(open.first { $0.start <= middle && middle < $0.end }, "no suggestion at \(turn): \(open)")
        }
        #expect(heard.map(\.value) == ["", "Ilham Saputra", "Evi Novida", "", "Ilham Saputra"], "\(heard)")
        try Harness.addUser("tono", role: "tagger", archive: archive)

        // Desktop: "Ya" on Ilham's second turn, Viryan named; phone: "Ya" on Ilham's last turn, "Orang lain" on Evi's second.
        let results = try Self.run("session", archive: archive, ["--session", id, "--name", "Viryan Aziz Pratama",
                                                                  "--desktop", "\(heard[1].id),\(heard[0].id)", "--phone", "\(heard[4].id),\(heard[2].id)"])
        #expect(results.count == 8, "checks missing: \(results.keys.sorted())")
        // Each row's answer covers every part of its stretch (the engine suggests a long turn in parts;
        // a confirmation of the first part names the whole stretch, so later parts may need no answer).
        let answers = EventLog(path: store.eventsPath(of: id)).read().events.filter { $0.kind == .speaker && $0.target != nil }
        #expect(answers.count >= 4 && answers.allSatisfy { $0.author == "web:tono" })
        #expect(Set(answers.compactMap(\.value)) == ["Ilham Saputra", "Viryan Aziz Pratama"])
        let timeline = try Tagger(archive: store).timeline(of: id)
        for answered in [heard[1], heard[0], heard[4], heard[2]] {
            #expect(!timeline.suggestedTurns.contains { $0.start < answered.end && answered.start < $0.end }, "still open: \(answered)")
        }
        for (turn, person) in zip([spoken[2], spoken[3], spoken[4], spoken[6]], ["Viryan Aziz Pratama", "Ilham Saputra", "Viryan Aziz Pratama", "Ilham Saputra"]) {
            let speaker = timeline.effectiveSpeaker(at: (turn.start + turn.end) / 2)
            #expect(speaker?.value == person && speaker?.isSuggested == false, "\(turn): \(String(describing: speaker))")
        }
    }

    @Test("on the live console of a real recording, a suggestion the worker writes appears within seconds and one click confirms it; another is named with a several-word name typed across the console's updates")
    func liveConsole() throws {
        let (folder, archive, _) = try Harness.importedForBrowser("voices-live", seconds: 2)
        let (live, source, recorder) = try Harness.liveRecording(into: archive, title: "Konferensi pers")
        defer { source.stop() }
        defer { recorder.stop() }
        try "title: Konferensi pers\nspeakers:\n  - name: Ilham Saputra\n  - name: Siti Rahma\n".write(toFile: folder + "/agenda.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", live, folder + "/agenda.yaml", "--archive", archive]).status == 0)
        try Harness.addUser("tono", role: "tagger", archive: archive)
        let store = Archive(path: archive)
        let event = Self.suggestion(1, 4, "Ilham Saputra", voice: 1), other = Self.suggestion(4, 6, "Siti Rahma", voice: 2)
        let lines = try [event, other].flatMap { ["--line", String(decoding: try JSONCoding.encoder(pretty: false).encode($0), as: UTF8.self)] }
        let results = try Self.run("live", archive: archive, ["--session", live, "--events", store.eventsPath(of: live), "--name", "Rina Kartika Sari"] + lines)
        #expect(results.count == 3, "checks missing: \(results.keys.sorted())")
        let answers = EventLog(path: store.eventsPath(of: live)).read().events.filter { $0.kind == .speaker && $0.target != nil }
        #expect(answers.map(\.target) == [event.id, other.id] && answers.map(\.value) == ["Ilham Saputra", "Rina Kartika Sari"])
        #expect(answers.map(\.media) == [1, 4] && answers.allSatisfy { $0.author == "web:tono" })
    }

    @Test("an admin opens the settings from the header, reads the privacy text, turns voices on and deletes a person from the voice library, at desktop and phone width; their vectors leave the file at once")
    func settings() throws {
        let (_, archive, id) = try Harness.importedForBrowser("voices-settings", seconds: 1)
        try Harness.addUser("ada", role: "admin", archive: archive)
        let library = VoiceLibrary(archive: Archive(path: archive))
        try library.setEnabled(true, by: "test")
        for (index, name) in ["Rina Kartika Sari", "Ilham Saputra", "Evi Novida"].enumerated() {
            try library.enroll(name, sample: .init(session: id, seconds: 10, basis: "tag", vector: [0.5 + Double(index) / 1000] + Array(repeating: 0.01, count: 255)), by: "test")
        }
        try library.setEnabled(false, by: "test")
        let results = try Self.run("settings", archive: archive, user: "ada", ["--session", id, "--desktop", "Rina Kartika Sari", "--phone", "Evi Novida"])
        #expect(results.count == 6, "checks missing: \(results.keys.sorted())")
        #expect(library.isEnabled && library.settings().changedBy == "web:ada")
        #expect(try library.load().map(\.name) == ["Ilham Saputra"])
        let file = String(decoding: try Data(contentsOf: URL(fileURLWithPath: library.libraryPath)), as: UTF8.self)
        #expect(!file.contains("Rina") && !file.contains("0.5,") && !file.contains("0.502"), "the deleted people's vectors are gone")
    }
}
