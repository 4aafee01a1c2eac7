import Foundation
import SiaranArchive
import Testing

/// The commonest outage beyond UDP (see `OutageTests.restartedEncoder`): the encoder stops, nothing
/// comes for about 4 s, and a new encoder process starts over (timestamps near zero, a new media
/// sequence), well under --stall-timeout. Each is one gap of about the silence at that moment, and the
/// session's wall clock steps by it.
@Suite("A restarted encoder, over SRT, RTMP push and HLS", .timeLimit(.minutes(20)), .ownThreads)
struct RestartedEncoderTests {
    /// One gap of `length` s (1 s less at most; `late` s more at most: the silence the recorder sees
    /// also holds the new encoder's start-up, up to 2 s for ffmpeg on a loaded machine, and for HLS
    /// its first segment's delivery) at about `position` s of media, the wall clock stepping by the
    /// gap (± 1 s) across the discontinuity, every segment playable.
    static func expectRestartGap(_ manifest: SessionManifest, archive: String, length: Double, late: Double, position: Double) throws {
        #expect(manifest.gaps.count == 1, "gaps: \(manifest.gaps)")
        let gap = try #require(manifest.gaps.first)
        #expect(gap.duration >= length - 1 && gap.duration <= length + late, "gap \(gap.duration) s (\(gap.reason))")
        #expect(abs(gap.mediaPosition - position) <= 2, "at \(gap.mediaPosition) s")
        let index = try #require(manifest.segments.firstIndex { $0.discontinuity && $0.mediaStart > 2 })
        let before = manifest.segments[index - 1], after = manifest.segments[index]
        let wallStep = after.wallClockStart.timeIntervalSince(before.wallClockStart) - before.duration
        #expect(abs(wallStep - gap.duration) <= 1, "wall clock step over the gap \(wallStep) s, gap \(gap.duration) s")
        try Harness.expectPlayable(manifest, archive: archive)
    }

    @Test("SRT: an encoder that pushes again 4 s after it stopped is one gap of about 4 s, the wall clock stepping by it")
    func srt() throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "srt://127.0.0.1:\(port)", "--listen", "--archive", archive, "--segment-duration", "2",
                                          "--stall-timeout", "10s", "--give-up-after", "8s"])
        defer { recorder.stop() }
        Thread.sleep(forTimeInterval: 1.5)
        try Harness.encodeRestarting(["-f", "mpegts", "srt://127.0.0.1:\(port)"])
        // The encoder does not come back a second time: the recorder gives up listening 8 s later.
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        try Self.expectRestartGap(manifest, archive: archive, length: 4, late: 2, position: 8)
        #expect(abs(manifest.mediaDuration - 16) <= 2, "media \(manifest.mediaDuration) s")
    }

    @Test("RTMP push: an encoder killed and pushing again to --listen 4 s later is one gap of about 4 s, the wall clock stepping by it")
    func rtmp() throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let url = "rtmp://127.0.0.1:\(port)/live/sk_reconnect_7a6b"
        // --stop-after ends the recording while it listens for a push as well (it waited for --give-up-after).
        let recorder = try Harness.start(["record", url, "--listen", "--archive", archive, "--segment-duration", "2",
                                          "--stall-timeout", "10s", "--stop-after", "20"])
        defer { recorder.stop() }
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let first = try Harness.Running("/usr/bin/ffmpeg", Harness.liveEncode + ["-f", "flv", url])
        Thread.sleep(forTimeInterval: 8)
        kill(first.pid, SIGKILL)  // a crashed encoder: the connection just ends
        _ = first.wait(timeout: 10)
        Thread.sleep(forTimeInterval: 4)
        let second = try Harness.Running("/usr/bin/ffmpeg", Harness.liveEncode + ["-f", "flv", url])
        defer { second.stop() }
        let started = Date()
        let result = recorder.wait(timeout: 40)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 15, "--stop-after was not kept")
        let manifest = try Harness.onlySession(in: archive)
        try Self.expectRestartGap(manifest, archive: archive, length: 4, late: 2, position: 8)
        #expect(manifest.mediaDuration >= 12 && manifest.mediaDuration <= 18, "media \(manifest.mediaDuration) s")
    }

    @Test("HLS: an encoder killed and restarted 4 s later (a new media sequence, timestamps from zero) is one gap of about 4 s")
    func hls() throws {
        let web = Harness.temporaryFolder("hls")
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        let hls = ["-f", "hls", "-hls_time", "1", "-hls_list_size", "5", "-hls_flags", "omit_endlist", web + "/index.m3u8"]
        let first = try Harness.Running("/usr/bin/ffmpeg", Harness.liveEncode + hls)
        #expect(Harness.waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: web + "/index.m3u8") && Harness.accepts(port: port) })
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "http://127.0.0.1:\(port)/index.m3u8", "--archive", archive, "--segment-duration", "2",
                                          "--stall-timeout", "10s", "--stop-after", "26"])
        defer { recorder.stop() }
        Thread.sleep(forTimeInterval: 9)
        kill(first.pid, SIGKILL)  // a crash: the playlist stays as it was, without an end
        _ = first.wait(timeout: 10)
        Thread.sleep(forTimeInterval: 4)
        let second = try Harness.Running("/usr/bin/ffmpeg", Harness.liveEncode + ["-t", "12"] + hls)
        defer { second.stop() }
        let result = recorder.wait(timeout: 90)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        try Self.expectRestartGap(manifest, archive: archive, length: 4, late: 3, position: 9)
    }
}
