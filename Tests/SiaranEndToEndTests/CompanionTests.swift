import Foundation
import SiaranArchive
import Testing

@Suite("Tagging a live session", .timeLimit(.minutes(20)), .ownThreads)
struct CompanionTests {
    static let example: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Examples/bakohumas-2021-09-15.yaml").path
    }()

    @Test("tags sent from another terminal land on the live timeline; show, JSON and report agree")
    func liveTagging() throws {
        let archive = Harness.temporaryFolder("archive")
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let recorder = try Harness.start(["record", url, "--archive", archive, "--agenda", Self.example, "--segment-duration", "2", "--wait", "20"])
        #expect(Harness.waitUntil(timeout: 20) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 1 })

        var sent: [(String, Date)] = []
        func tag(_ arguments: [String]) throws {
            let before = Date()
            let result = try Harness.run(["tag", "--archive", archive, "--json"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let after = Date()
            sent.append((result.stdout, before.addingTimeInterval(after.timeIntervalSince(before) / 2)))
        }
        try tag(["--agenda", "1"])
        try tag(["--speaker", "robby"])
        usleep(2_500_000)
        try tag(["--speaker", "ILHAM SAPUTRA"])
        try tag(["--agenda", "sambutan"])
        usleep(1_500_000)
        try tag(["--topic", "hoaks"])
        try tag(["--speaker", "Budi Tamu"])
        usleep(2_000_000)
        try tag(["--note", "tanya jawab dimulai"])
        usleep(1_500_000)
        recorder.signal(SIGINT)
        let recorded = recorder.wait(timeout: 30)
        #expect(recorded.status == 0)
        // The example agenda is dated 15 September 2021: said before the recording, and after it with both dates.
        #expect(recorded.stderr.contains("the agenda's date (Wednesday, 15 September 2021) is not today"), "\(recorded.stderr)")
        #expect(recorded.stderr.contains("differs from the recording's") && recorded.stderr.contains("--date agenda"), "\(recorded.stderr)")

        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.title == "Sosialisasi Juknis Bakohumas KPU, KPU Provinsi dan KPU Kab/Kota")
        let events = EventLog(path: Archive(path: archive).eventsPath(of: manifest.id)).read().events
        #expect(events.count == 7)
        // Each tag sits at the moment it was sent: its wall-clock time mapped through the segments.
        let first = try #require(manifest.segments.first)
        for (event, (_, when)) in zip(events, sent) {
            let expected = first.mediaStart + when.timeIntervalSince(first.wallClockStart)
            #expect(abs((event.media ?? -99) - expected) <= 1.0, "\(event.kind) at \(event.media ?? -1), sent at \(expected)")
        }
        #expect(events[1].value == "Robby Leo Agust" && events[1].onRoster == true)
        #expect(events[5].onRoster == false)

        let show = try Harness.run(["show", manifest.id, "--archive", archive, "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let timeline = try #require(json["timeline"] as? [String: Any])
        let turns = try #require(timeline["speakerTurns"] as? [[String: Any]])
        #expect(turns.map { $0["value"] as? String } == ["Robby Leo Agust", "Ilham Saputra", "Budi Tamu"])
        let items = try #require(timeline["agendaItems"] as? [[String: Any]])
        #expect(items.map { $0["agendaNumber"] as? Int } == [1, 2])
        #expect(abs((turns.last?["end"] as? Double ?? 0) - manifest.mediaDuration) < 0.5)

        let text = try Harness.run(["show", manifest.id, "--archive", archive]).stdout
        #expect(text.contains("2. Sambutan dan pembukaan kegiatan  [00:00:0"))
        #expect(text.contains("Ilham Saputra (Ketua KPU RI, KPU RI)"))
        #expect(text.contains("Budi Tamu [not on roster]"))
        #expect(text.contains("tanya jawab dimulai"))

        let markdown = try Harness.run(["report", manifest.id, "--archive", archive]).stdout
        #expect(markdown.hasPrefix("# Sosialisasi Juknis Bakohumas KPU"))
        #expect(markdown.contains("| Ilham Saputra | Ketua KPU RI, KPU RI |"))
        #expect(markdown.contains("**Penyelenggara:** KPU RI"))
        #expect(markdown.contains("- Hasrul Dumambow — Ketua Divisi Sosialisasi"))
        #expect(markdown.contains("hoaks (00:00:0"))
        let htmlPath = archive + "/report.html"
        #expect(try Harness.run(["report", manifest.id, "--archive", archive, "--format", "html", "-o", htmlPath]).status == 0)
        let html = try String(contentsOfFile: htmlPath, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<td>Ilham Saputra</td>") && !html.contains("<link") && !html.contains("<script"))
    }

    @Test("after the fact: tag at a moment, move, retag and delete by id; bad tags are refused clearly")
    func afterTheFact() throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/rapat.mp4", seconds: 10)
        let archive = Harness.temporaryFolder("archive")
        let imported = try Harness.run(["import", folder + "/rapat.mp4", "--archive", archive, "--agenda", Self.example])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        func tag(_ arguments: [String]) throws -> Harness.Output { try Harness.run(["tag", id, "--archive", archive] + arguments) }
        let ilham = try tag(["--speaker", "Ilham", "--at", "00:00:02", "--json"])
        #expect(ilham.status == 0, "\(ilham.stderr)")
        let ilhamID = try #require((try JSONSerialization.jsonObject(with: Data(ilham.stdout.utf8)) as? [String: Any])?["id"] as? String)
        _ = try tag(["--speaker", "anisha", "--at", "6"])
        #expect(try tag(["--move", ilhamID, "--at", "1"]).status == 0)
        #expect(try tag(["--retag", ilhamID, "--to", "Raka Sandi"]).status == 0)

        var show = try Harness.run(["show", id, "--archive", archive]).stdout
        #expect(show.contains("00:00:01–00:00:06  00:00:05  I Dewa Kade Wiarsa Raka Sandi"))
        #expect(try tag(["--delete", ilhamID]).status == 0)
        show = try Harness.run(["show", id, "--archive", archive]).stdout
        #expect(!show.contains("Raka Sandi ("))
        let lines = try String(contentsOfFile: Archive(path: archive).eventsPath(of: id), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5, "history is kept: two tags and three corrections")

        let beyond = try tag(["--note", "late", "--at", "01:00:00"])
        #expect(beyond.status != 0 && beyond.stderr.contains("beyond the end of the recording"), "\(beyond.stderr)")
        let badItem = try tag(["--agenda", "12"])
        #expect(badItem.status != 0 && badItem.stderr.contains("no agenda item '12'; the agenda is: 1. Pembukaan"), "\(badItem.stderr)")
        let strict = try tag(["--speaker", "Tamu Asing", "--strict", "--at", "3"])
        #expect(strict.status != 0 && strict.stderr.contains("not on the roster"))
        let noSession = try Harness.run(["tag", "nope", "--note", "x", "--archive", archive])
        #expect(noSession.status != 0 && noSession.stderr.contains("no session matches 'nope'"))
        let nothingLive = try Harness.run(["tag", "--note", "x", "--archive", archive])
        #expect(nothingLive.status != 0 && nothingLive.stderr.contains("no session is being recorded now"))
    }

    @Test("10 taggers × 100 tags at once: 1,000 whole lines, none lost")
    func concurrentTaggers() throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/x.mp4", seconds: 4)
        let archive = Harness.temporaryFolder("archive")
        let id = try Harness.run(["import", folder + "/x.mp4", "--archive", archive]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let script = (0..<10).map { worker in
            "(for i in $(seq 1 100); do \"$SIARAN\" tag \(id) --archive \"$ARCHIVE\" --note \"w\(worker) n$i\" --at 1 >/dev/null || echo FAIL; done) &"
        }.joined(separator: "\n") + "\nwait\n"
        let result = try Harness.Running("/bin/bash", ["-c", script], environment: ["SIARAN": Harness.siaran, "ARCHIVE": archive]).wait(timeout: 170)
        #expect(!result.stdout.contains("FAIL"))
        let log = EventLog(path: Archive(path: archive).eventsPath(of: id)).read()
        #expect(log.bad.isEmpty)
        #expect(log.events.count == 1000)
        #expect(Set(log.events.map(\.id)).count == 1000)
        #expect(Set(log.events.compactMap(\.value)).count == 1000)
    }

    @Test("the shipped example session loads, reports and is searchable")
    func exampleSession() throws {
        var repo = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { repo.deleteLastPathComponent() }
        let id = "2021-09-15-demo-sosialisasi-juknis-bakohumas-kpu"
        let archive = Harness.temporaryFolder("archive")
        try FileManager.default.copyItem(atPath: repo.appendingPathComponent("sessions/\(id)").path, toPath: archive + "/" + id)
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete && manifest.title.hasPrefix("Demo:"))
        #expect(manifest.mediaBytes < 2_000_000)
        try Harness.expectPlayable(manifest, archive: archive)
        let report = try Harness.run(["report", "2021-09-15-demo", "--archive", archive, "--timezone", "Asia/Jakarta"])
        #expect(report.status == 0)
        #expect(report.stdout.contains("| Ilham Saputra | Ketua KPU RI, KPU RI | 00:00:12 |"))
        #expect(report.stdout.contains("**Tanggal:** Rabu, 15 September 2021"))
        let search = try Harness.run(["search", "memfilter hoaks", "--archive", archive])
        #expect(search.stdout.contains("00:00:30") && search.stdout.contains("speaker: Anisha Dasuki"), "\(search.stdout)")
    }
}
