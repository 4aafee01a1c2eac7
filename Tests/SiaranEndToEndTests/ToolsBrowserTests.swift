import Foundation
import SiaranArchive
import Testing

/// The officer's tools of issue #29 (exports, session management, the agenda editor) in Debian's
/// headless Chromium, driven by `Scripts/browser-tools`, against `siaran serve` on loopback.
@Suite("Officer's tools in Chromium", .timeLimit(.minutes(20)), .ownThreads)
struct ToolsBrowserTests {
    static let script: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Scripts/browser-tools").path
    }()

    /// A finished briefing with a caption line, a roster, a speaker tag and that line starred; a tagger `tono`.
    static func briefing() throws -> (archive: String, id: String) {
        let (folder, archive, id) = try Harness.importedForBrowser("tools-browser", seconds: 12)
        try "WEBVTT\n\n00:00:04.000 --> 00:00:07.000\nKami mengimbau agar tidak menyebarkan hoaks.\n".write(toFile: folder + "/notulen.vtt", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["captions", id, folder + "/notulen.vtt", "--archive", archive]).status == 0)
        try "title: Sosialisasi Pemilu\nspeakers:\n  - name: Siti Rahma\n    role: Anggota KPU\n".write(toFile: folder + "/agenda.yaml", atomically: true, encoding: .utf8)
        #expect(try Harness.run(["agenda", id, folder + "/agenda.yaml", "--archive", archive]).status == 0)
        #expect(try Harness.run(["tag", id, "--speaker", "Siti Rahma", "--at", "00:00:01", "--archive", archive]).status == 0)
        try NewsPostStore(archive: Archive(path: archive)).update(id, by: nil) { post in
            post.quotes.append(NewsPost.Quote(id: "q1", at: 4, end: 7, text: "Kami mengimbau agar tidak menyebarkan hoaks.", speaker: "Siti Rahma",
                                              machine: false, starredBy: "web:tono"))
        }
        for (name, role) in [("tono", "tagger"), ("ada", "admin")] {
            try Harness.addUser(name, role: role, archive: archive)
        }
        return (archive, id)
    }

    /// Runs `Scripts/browser-tools FLOW` against a server over `archive`: its checks, each expected ok.
    static func run(_ flow: String, archive: String, _ arguments: [String]) throws -> [String: [String: Any]] {
        let port = Harness.freePort()
        // The office's zone: Jakarta (WIB), whatever this machine's.
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"],
                                         environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var all = [Self.script, flow, "--base", "http://127.0.0.1:\(port)", "--password", "kata-sandi-rahasia"] + arguments
        if let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"] { all += ["--shots", shots] }
        let check = try Harness.Running("/usr/bin/env", ["python3"] + all).wait(timeout: 240)
        #expect(check.status == 0, "browser-tools \(flow): \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [String: Any]]) ?? [:]
        for (name, result) in results.sorted(by: { $0.key < $1.key }) {
            #expect(result["ok"] as? Bool == true, "\(name): \(result)")
        }
        return results
    }

    @Test("on a phone, an officer builds a live session's agenda (two people, two items) in the page, then tags from the live console with it; an agenda built at /agenda schedules a briefing")
    func agendaEditor() throws {
        let (archive, _) = try Self.briefing()
        let (live, source, recorder) = try Harness.liveRecording(into: archive, title: "Rapat koordinasi")
        defer { source.stop() }
        defer { recorder.stop() }
        let store = Archive(path: archive)
        let results = try Self.run("agenda", archive: archive, ["--user", "ada", "--session", live])
        #expect(results.count == 4, "checks missing: \(results.keys.sorted())")
        let agenda = try #require(store.loadAgenda(live))
        #expect(agenda.speakers.map(\.name) == ["Siti Rahma", "Rina Kartika Sari"] && agenda.speakers.first?.role == "Anggota KPU")
        #expect(agenda.agenda.map(\.plannedStart) == ["09:00", "09:30"] && agenda.agenda.map(\.speakers) == [["Siti Rahma"], ["Rina Kartika Sari"]])
        let tags = EventLog(path: store.eventsPath(of: live)).read().events.filter { $0.kind == .speaker || $0.kind == .agenda }
        #expect(tags.map(\.value) == ["Rina Kartika Sari", "Paparan daftar pemilih"] && tags.allSatisfy { $0.author == "web:ada" })
        // The briefing scheduled with the agenda built at /agenda: its roster and its day and time.
        let scheduled = try ScheduleStore(archive: store).load()
        let briefing = try #require(scheduled.first { $0.title == "Rapat koordinasi minggu depan" }, "\(scheduled)")
        let name = try #require(briefing.agendaFile)
        let file = try AgendaFile.load(path: ScheduleStore(archive: store).agendaPath(name))
        #expect(file.speakers.map(\.name) == ["Ahmad Fauzi Rahman"] && file.date != nil && file.start == "09:00 WIB")
        #expect(briefing.start.timeIntervalSinceNow > 28 * 86400, "the agenda's day and start give the time")
    }

    @Test("an admin renames a session with a several-word title typed into the page, deletes it, and restores it from the trash page, at desktop and phone width")
    func manage() throws {
        let (archive, id) = try Self.briefing()
        let results = try Self.run("manage", archive: archive, ["--user", "ada", "--session", id])
        #expect(results.count == 4, "checks missing: \(results.keys.sorted())")
        let store = Archive(path: archive)
        #expect(try store.loadManifest(id).title == "Rapat koordinasi phone persiapan pemilu")
        let changes = EventLog(path: store.eventsPath(of: id)).read().events.filter { $0.kind == .session }
        #expect(changes.map(\.value) == ["rename", "trash", "restore", "rename", "trash", "restore"] && changes.allSatisfy { $0.author == "web:ada" })
    }

    @Test("the post and the report download as DOCX from the page and read back with the headline, the quote and the speaker; Copy for WhatsApp fills the clipboard")
    func exports() throws {
        let (archive, id) = try Self.briefing()
        let results = try Self.run("exports", archive: archive, ["--user", "tono", "--session", id, "--headline", "SOSIALISASI PEMILU",
                                                                  "--quote", "Kami mengimbau agar tidak menyebarkan hoaks", "--speaker", "Siti Rahma"])
        #expect(results.count == 8, "checks missing: \(results.keys.sorted())")
    }
}
