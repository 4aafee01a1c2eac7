import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// Scheduled recordings as `siaran serve` runs them: a real server on loopback, a real ffmpeg UDP
/// source, a recorder killed with -9 in the middle, and the server itself restarted in the middle.
@Suite("Scheduled recordings end to end", .timeLimit(.minutes(20)), .ownThreads)
struct ScheduleTests {
    @Test("a scheduled briefing is recorded in its window; a killed recorder is replaced; a restarted server carries on and stops it at the end")
    func scheduledRecording() throws {
        let folder = Harness.temporaryFolder("schedule")
        let archive = folder + "/archive"
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        try Harness.addUser("ada", role: "admin", archive: archive)
        let port = Harness.freePort()
        let sourcePort = Harness.freePort()
        let source = try Harness.ffmpegSource(format: "mpegts", output: "udp://127.0.0.1:\(sourcePort)?pkt_size=1316")
        defer { source.stop() }

        var server = try Harness.start(["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        let base = "http://127.0.0.1:\(port)"
        let jar = folder + "/cookies"
        let login = try ServeTests.curl(["-c", jar, "-H", "Content-Type: application/json", "-d", #"{"name":"ada","password":"kata-sandi-rahasia"}"#, base + "/api/login"])
        let csrf = try #require(login.stdout.firstMatch(of: /"csrfToken":"([^"]+)"/).map { String($0.1) })

        // From now + 2 s to now + 24 s, no pre-roll or overrun; the agenda file gives the roster.
        let start = Date().addingTimeInterval(2), end = start.addingTimeInterval(22)
        let agenda = "title: Rapat terjadwal\nspeakers:\n  - name: Budi Santoso\n"
        let body = try JSONSerialization.data(withJSONObject: [
            "url": "udp://127.0.0.1:\(sourcePort)?secret=KUNCI123", "start": ISO8601.format(start), "end": ISO8601.format(end),
            "preRoll": 0, "overrun": 0, "agenda": agenda,
        ])
        let scheduled = try ServeTests.curl(["-b", jar, "-H", "Content-Type: application/json", "-H", "X-CSRF-Token: \(csrf)",
                                              "--data-binary", String(decoding: body, as: UTF8.self), base + "/api/schedule"])
        #expect(scheduled.stdout.contains(#""state":"scheduled""#) && scheduled.stdout.contains(#""title":"Rapat terjadwal""#), "\(scheduled.stdout)")
        #expect(!scheduled.stdout.contains("KUNCI123"), "the source's secret is never shown")

        let store = ScheduleStore(archive: Archive(path: archive))
        func current() -> ScheduledRecording? { (try? store.load())?.first }
        func hasMedia(_ id: String) -> Bool { ((try? Archive(path: archive).loadManifest(id).segments.count) ?? 0) > 0 }

        // It starts in its window and records.
        try #require(Harness.waitUntil(timeout: 20) { current()?.state == .recording }, "not recording: \(String(describing: current()))")
        let first = try #require(current())
        #expect(first.sessions.count == 1 && Date() >= start.addingTimeInterval(-1), "\(first)")
        #expect(Archive(path: archive).loadAgenda(first.sessions[0])?.speakers.first?.name == "Budi Santoso")
        // The key is not on the recorder's command line (every user can read that), and not in its session.
        let commandLine = (try? String(contentsOfFile: "/proc/\(first.pid ?? 0)/cmdline", encoding: .utf8)) ?? ""
        #expect(commandLine.contains("record") && !commandLine.contains("KUNCI123"), "\(commandLine)")
        #expect(!((try? String(contentsOfFile: Archive(path: archive).manifestPath(of: first.sessions[0]), encoding: .utf8)) ?? "").contains("KUNCI123"))

        // kill -9 the recorder: another one is started, into a new session.
        kill(try #require(first.pid), SIGKILL)
        try #require(Harness.waitUntil(timeout: 20) { (current()?.restarts ?? 0) >= 1 && current()?.state == .recording && (current()?.sessions.count ?? 0) == 2 },
                     "no restart: \(String(describing: current()))")

        // Restart the server while it records: the new server takes the running recorder over.
        let pid = try #require(current()?.pid)
        server.signal(SIGTERM)
        _ = server.wait(timeout: 15)
        #expect(kill(pid, 0) == 0, "the recorder outlives the server")
        server = try Harness.start(["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"])
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })

        // At the end it is stopped (Ctrl-C: the session is closed) and the recording is finished.
        try #require(Harness.waitUntil(timeout: 60) { current()?.state == .finished }, "not finished: \(String(describing: current()))")
        let done = try #require(current())
        #expect(done.restarts == 1 && done.sessions.count == 2 && done.pid == nil)
        // Stopped: gone, or a zombie nobody reaps (its parent, the first server, is gone).
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        #expect(kill(pid, 0) != 0 || status.contains(") Z "), "the recorder was stopped: \(status)")
        let last = try Archive(path: archive).loadManifest(done.sessions[1])
        #expect(last.state == .complete, "the last session was closed by its recorder: \(last.state)")
        let ended = try #require(last.endedAt)
        #expect(abs(ended.timeIntervalSince(end)) < 6, "stopped at \(ended), the end was \(end)")
        for id in done.sessions { #expect(hasMedia(id)) }
        try Harness.expectPlayable(last, archive: archive)
        // The schedule file keeps the key, for the recorder only: mode 0600.
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // (A restart signs everyone out.)
        _ = try ServeTests.curl(["-c", jar, "-H", "Content-Type: application/json", "-d", #"{"name":"ada","password":"kata-sandi-rahasia"}"#, base + "/api/login"])
        let listed = try ServeTests.curl(["-b", jar, base + "/api/schedule"])
        #expect(listed.stdout.contains(#""state":"finished""#) && !listed.stdout.contains("KUNCI123"))
    }
}
