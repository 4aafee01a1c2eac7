import Foundation
import SiaranArchive
import Testing

@Suite("How sources end, and readers that go away", .timeLimit(.minutes(20)), .ownThreads)
struct SourceEndingsTests {
    @Test("a VOD HLS playlist given to record is recorded once, to its end, and the session ends")
    func vodRecordedOnce() throws {
        let web = Harness.temporaryFolder("vod")
        try Harness.makeFile(web + "/index.m3u8", seconds: 12, extra: ["-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod"])
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let archive = Harness.temporaryFolder("archive")
        let started = Date()
        let result = try Harness.run(["record", "http://127.0.0.1:\(port)/index.m3u8", "--archive", archive, "--segment-duration", "2"], timeout: 90)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        #expect(abs(manifest.mediaDuration - 12) < 1.5, "12 s of VOD became \(manifest.mediaDuration) s of media")
        #expect(manifest.gaps.isEmpty && manifest.reconnects == 0)
        #expect(manifest.stopReason?.contains("not a live stream") == true, "\(manifest.stopReason ?? "")")
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test("the recorder survives its stdout and stderr readers going away and a terminal hang-up")
    func readersGoAway() throws {
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let archive = Harness.temporaryFolder("archive")
        let siaran = Harness.siaran
        // Both outputs into a pipe whose reader exits at once (as `| head -c1` does), then SIGHUP.
        let shell = try Harness.Running("/bin/sh", ["-c", "exec \"$0\" record \"$1\" --archive \"$2\" --segment-duration 1 --wait 20 --stop-after 8 2>&1 | head -c 1 >/dev/null",
                                                    siaran, url, archive])
        #expect(Harness.waitUntil(timeout: 20) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 1 })
        _ = try Harness.run(["sessions", "--archive", archive])
        // The recorder (siaran-media, same pid as the exec'd siaran) gets a hang-up too.
        let pids = try Harness.Running("/usr/bin/pgrep", ["-f", "record \(url)"]).wait(timeout: 10).stdout
        for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGHUP) }
        _ = shell.wait(timeout: 60)
        #expect(Harness.waitUntil(timeout: 30) { (try? Harness.onlySession(in: archive).state) == .complete })
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.stopReason == "reached --stop-after", "\(manifest.stopReason ?? "") — the recorder was killed")
        #expect(manifest.mediaDuration > 5, "\(manifest.mediaDuration) s recorded")
    }

    @Test("a DASH VOD (a static MPD) is recorded once, by libav, to its end")
    func dashVOD() throws {
        let web = Harness.temporaryFolder("dash")
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 20) { Harness.accepts(port: port) })
        let archive = Harness.temporaryFolder("archive")
        try Harness.makeFile(web + "/vod.mpd", seconds: 8, extra: ["-f", "dash", "-seg_duration", "2"])
        let recorded = try Harness.run(["record", "http://127.0.0.1:\(port)/vod.mpd", "--archive", archive, "--segment-duration", "2"], timeout: 90)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(abs(manifest.mediaDuration - 8) < 1.5, "8 s of DASH VOD became \(manifest.mediaDuration) s")
    }
}
