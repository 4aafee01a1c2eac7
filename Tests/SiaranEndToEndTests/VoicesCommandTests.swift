import Foundation
import SiaranArchive
import SiaranCore
@testable import SiaranMedia
import SiaranRecording
import Testing

/// `siaran voices` on an imported briefing of three espeak-ng voices (VoiceWorkerTests' briefing):
/// refused while off; once on, it suggests turns as `voice` events, learns the voices the officer
/// tagged, enrolls an untagged speaker from a moment of the session, names them on the next run
/// (which replaces the first), and deletes a person's vectors from the disk.
@Suite("siaran voices", .timeLimit(.minutes(20)), .ownThreads)
struct VoicesCommandTests {
    static func clock(_ seconds: Double) -> String { ClockFormat.string(seconds) }

    @Test("off by default; suggestions, learning, enrolment from a session moment, a rerun, and deletion")
    func voicesEndToEnd() throws {
        try #require(FileManager.default.fileExists(atPath: VoiceWorkerTests.model), "no voice model: run Scripts/setup-speech")
        let folder = Harness.temporaryFolder("voices-cli")
        let archive = folder + "/archive"
        let (wav, spoken) = try VoiceWorkerTests.briefing(in: folder)
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=size=160x120:rate=10",
                                                           "-i", wav, "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10",
                                                           "-c:a", "aac", folder + "/briefing.mp4"]).wait(timeout: 120)
        try #require(made.status == 0, "\(made.stderr)")
        let imported = try Harness.run(["import", folder + "/briefing.mp4", "--archive", archive, "--segment-duration", "2"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // A caption line in the middle of each turn, with a word of its own ("kalimat" and the turn's number in words).
        let numbers = ["satu", "dua", "tiga", "empat", "lima"]
        let vtt = "WEBVTT\n\n" + spoken.enumerated().map { index, turn in
            "\(Self.clock(turn.start + 1)).000 --> \(Self.clock(turn.start + 3)).000\nkalimat \(numbers[index])\n"
        }.joined(separator: "\n")
        try vtt.write(toFile: folder + "/lines.vtt", atomically: true, encoding: .utf8)
        let attached = try Harness.run(["captions", id, folder + "/lines.vtt", "--archive", archive])
        try #require(attached.status == 0, "\(attached.stderr)")

        // Off: refused, and nothing written.
        let refused = try Harness.run(["voices", id, "--archive", archive])
        #expect(refused.status == 1 && refused.stderr.contains("siaran voices --enable"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: archive + "/.voices/library.json"))

        // The officer tags Ilham and Evi at their first lines; Viryan (the third voice) is never tagged.
        for (person, at) in [("Ilham Saputra", spoken[0].start + 0.3), ("Evi Novida", spoken[1].start + 0.3)] {
            let tagged = try Harness.run(["tag", id, "--speaker", person, "--at", Self.clock(at), "--archive", archive])
            try #require(tagged.status == 0, "\(tagged.stderr)")
        }
        #expect(try Harness.run(["voices", "--enable", "--archive", archive]).status == 0)
        let first = try Harness.run(["voices", id, "--json", "--archive", archive], timeout: 300)
        try #require(first.status == 0, "\(first.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(report["voices"] as? Int == 3, "\(first.stdout)")
        #expect(Set(report["learnt"] as? [String] ?? []) == ["Ilham Saputra", "Evi Novida"], "\(first.stdout)")

        let store = Archive(path: archive)
        var timeline = try Tagger(archive: store).timeline(of: id)
        // Every spoken turn's middle has the right person, or nobody for the untagged Viryan.
        for turn in spoken {
            let middle = (turn.start + turn.end) / 2
            let heard = timeline.effectiveSpeaker(at: middle)?.value
            #expect(heard == (turn.person == "Viryan Aziz" ? nil : turn.person), "\(turn) heard as \(heard ?? "nobody")")
        }
        let viryan = try #require(spoken.first { $0.person == "Viryan Aziz" })
        let unnamed = timeline.suggestedTurns.first { $0.start <= viryan.start + 1 && viryan.start + 1 < $0.end }
        #expect(unnamed?.value == "" && unnamed?.voice != nil, "\(timeline.suggestedTurns)")
        // Voices are numbered from 1 ("Suara 1"), as the officer counts them.
        let voiceNumbers = Set(EventLog(path: store.eventsPath(of: id)).read().events.compactMap(\.voice))
        #expect(voiceNumbers.min() == 1 && voiceNumbers == Set(1...voiceNumbers.count), "voice numbers \(voiceNumbers.sorted())")
        let shown = try Harness.run(["show", id, "--archive", archive])
        #expect(shown.stdout.contains("Suggested from the voices") && shown.stdout.contains("no name yet")
                && shown.stdout.contains("Evi Novida? (tag)"), "\(shown.stdout)")
        // Later turns of tagged people are suggestions (no officer tag there).
        #expect(timeline.effectiveSpeaker(at: (spoken[3].start + spoken[3].end) / 2)?.isSuggested == true)

        // Enrol Viryan from a moment of the session; the next run names him from the library and replaces the first run.
        let enrolled = try Harness.run(["voices", "--enroll", "Viryan Aziz", "--from", "\(id)@\(viryan.start + 0.2)", "--seconds", "6",
                                        "--archive", archive], timeout: 120)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        let listed = try Harness.run(["voices", "--library", "--archive", archive])
        #expect(listed.stdout.contains("Viryan Aziz") && listed.stdout.contains("Ilham Saputra") && listed.stdout.contains(id), "\(listed.stdout)")
        let second = try Harness.run(["voices", id, "--archive", archive], timeout: 300)
        try #require(second.status == 0, "\(second.stderr)")
        timeline = try Tagger(archive: store).timeline(of: id)
        let named = timeline.effectiveSpeaker(at: (viryan.start + viryan.end) / 2)
        #expect(named?.value == "Viryan Aziz" && named?.basis == "library" && named?.isSuggested == true, "\(String(describing: named))")
        // Search finds the suggested line by the speaker's name, marked.
        let viryanTurn = try #require(spoken.firstIndex { $0.person == "Viryan Aziz" })
        let found = try Harness.run(["search", "kalimat", "--speaker", "viryan", "--json", "--archive", archive])
        #expect(found.stdout.contains("Viryan Aziz?") && found.stdout.contains(numbers[viryanTurn]), "\(found.stdout) \(found.stderr)")
        let runs = Set(timeline.suggestedTurns.compactMap(\.run))
        #expect(runs.count == 1, "only the newest run stands: \(runs)")

        // Deleting removes the vectors from the disk at once.
        let library = try #require(FileManager.default.contents(atPath: archive + "/.voices/library.json"))
        let people = try #require(try JSONSerialization.jsonObject(with: library) as? [[String: Any]])
        let samples = try #require(people.first { $0["name"] as? String == "Viryan Aziz" }?["samples"] as? [[String: Any]])
        let number = try #require((samples.first?["vector"] as? [Double])?.first { abs($0) > 0.01 })
        let deleted = try Harness.run(["voices", "--library", "--delete", "viryan aziz", "--archive", archive])
        #expect(deleted.status == 0 && deleted.stdout.contains("Viryan Aziz"), "\(deleted.stderr)")
        let after = String(decoding: try #require(FileManager.default.contents(atPath: archive + "/.voices/library.json")), as: UTF8.self)
        #expect(!after.contains("Viryan") && !after.contains(String(number)))
        // The catalog holds names, never vectors; the event log neither.
        let sqlite = try #require(FileManager.default.contents(atPath: archive + "/catalog.sqlite"), "the archive's catalog")
        let wal = FileManager.default.contents(atPath: archive + "/catalog.sqlite-wal") ?? Data()
        let catalog = Harness.allText(under: archive + "/" + id) + String(decoding: sqlite + wal, as: UTF8.self)
        #expect(catalog.contains("Viryan Aziz?"), "the catalog holds the suggested name")
        #expect(!catalog.contains(String(number)) && !catalog.contains("\"vector\""))

        // With voices on, an import listens by itself (and its stdout is still just the session id).
        let again = try Harness.run(["import", folder + "/briefing.mp4", "--archive", archive, "--segment-duration", "2"], timeout: 300)
        try #require(again.status == 0, "\(again.stderr)")
        let secondID = again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!secondID.contains("\n") && again.stderr.contains("voices: 3 heard"), "\(again.stdout) \(again.stderr)")
        #expect(try Tagger(archive: store).timeline(of: secondID).suggestedTurns.count >= 3)

        // The live pass (as `record` runs it) over that session's last 40 s: a live run, named from the library.
        let live = LiveVoices(archive: store, engine: try VoiceEngine.installed())
        live.start(sessionID: secondID)
        let wrote = Harness.waitUntil(timeout: 60) { live.passes > 0 }
        live.finish()
        #expect(wrote, "no live pass within 60 s")
        let heardLive = try Tagger(archive: store).timeline(of: secondID).suggestedTurns
        #expect(!heardLive.isEmpty && heardLive.allSatisfy { $0.run?.hasPrefix("live-") == true }, "\(heardLive)")
        #expect(heardLive.contains { $0.value == "Ilham Saputra" && $0.basis == "library" }, "\(heardLive.map(\.value))")
        #expect(heardLive.map(\.start).min()! >= (spoken.last!.end - 41), "only the last 40 s")
    }

    @Test("the worker's times go back to the session clock across a gap, and tags come in through it")
    func clockAcrossGap() {
        // 10 s of audio, a 30 s outage, then 10 s more: the input's 8-12 s straddles the gap.
        let anchors = [SpeechAudio.Anchor(sample: 0, seconds: 0), SpeechAudio.Anchor(sample: 160_000, seconds: 40)]
        let turns = VoiceDiariser.sessionTurns(start: 8, end: 12, voice: 2, anchors: anchors, to: nil)
        #expect(turns.map { [$0.start, $0.end].map { ($0 * 100).rounded() / 100 } } == [[8, 10], [40, 42]])
        #expect(VoiceDiariser.sample(at: 41, anchors: anchors, total: 320_000) == 176_000)
        #expect(VoiceDiariser.sample(at: 25, anchors: anchors, total: 320_000) == 160_000)
        #expect(VoiceDiariser.sample(at: 70, anchors: anchors, total: 320_000) == nil)
    }
}
