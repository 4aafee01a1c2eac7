import Foundation
import SiaranArchive
import Testing

/// `siaran record` against real live sources made by `ffmpeg` on 127.0.0.1.
@Suite("Recording live sources", .timeLimit(.minutes(20)), .ownThreads)
struct LiveRecordingTests {
    @Test("records a live HLS stream served over HTTP")
    func liveHLSOverHTTP() throws {
        let web = Harness.temporaryFolder("hls")
        let source = try Harness.ffmpegSource(format: "hls", output: web + "/live.m3u8",
                                              extra: ["-hls_time", "1", "-hls_list_size", "6", "-hls_flags", "delete_segments"])
        defer { source.stop() }
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 15) { FileManager.default.fileExists(atPath: web + "/live.m3u8") })

        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "http://127.0.0.1:\(port)/live.m3u8", "--archive", archive, "--title", "HLS test",
                                      "--segment-duration", "2", "--stop-after", "10", "--wait", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        #expect(manifest.streams.map(\.kind) == [.video, .audio])
        #expect(manifest.segments.count >= 3)
        try Harness.expectPlayable(manifest, archive: archive)
        // Durations add up: manifest, playlist as ffprobe reads it.
        let probed = try Harness.probeDuration(Archive(path: archive).playlistPath(of: manifest.id))
        #expect(abs(probed - manifest.mediaDuration) <= 2.0, "ffprobe \(probed) s vs manifest \(manifest.mediaDuration) s")
        #expect(manifest.mediaDuration >= 7, "recorded only \(manifest.mediaDuration) s of a 10 s recording")
    }

    @Test("takes an RTMP push with --listen and never writes the stream key")
    func rtmpPushIntoListen() throws {
        let port = Harness.freePort()
        let key = "sk_live_9f8e7d6c5b4a"
        let url = "rtmp://127.0.0.1:\(port)/live/\(key)"
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", url, "--listen", "--archive", archive, "--title", "RTMP push",
                                          "--segment-duration", "2", "--stop-after", "8"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let pusher = try Harness.ffmpegSource(format: "flv", output: url)
        defer { pusher.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.source == "rtmp://127.0.0.1:\(port)/live/***")
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(manifest.mediaDuration >= 5)
        #expect(!Harness.allText(under: archive).contains(key), "the stream key was written to the archive")
        #expect(!result.stderr.contains(key) && !result.stdout.contains(key), "the stream key was printed")
    }

    @Test("records SRT from a listening source, never writing its passphrase")
    func srtCaller() throws {
        let port = Harness.freePort()
        let passphrase = "rahasia-kpu-2024"
        let source = try Harness.ffmpegSource(format: "mpegts",
                                              output: "srt://127.0.0.1:\(port)?mode=listener&passphrase=\(passphrase)")
        defer { source.stop() }
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "srt://127.0.0.1:\(port)?passphrase=\(passphrase)", "--archive", archive,
                                          "--title", "SRT", "--segment-duration", "2", "--wait", "20", "--stop-after", "8"])
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.source.hasPrefix("srt://127.0.0.1:\(port)?passphrase="))
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(manifest.mediaDuration >= 4)
        #expect(!Harness.allText(under: archive).contains(passphrase), "the passphrase was written to the archive")
        #expect(!result.stderr.contains(passphrase) && !result.stdout.contains(passphrase), "the passphrase was printed")
    }

    @Test("takes an RTSP push (ANNOUNCE/RECORD) with --listen")
    func rtspPushIntoListen() throws {
        let port = Harness.freePort()
        let url = "rtsp://127.0.0.1:\(port)/live"
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", url, "--listen", "--archive", archive, "--title", "RTSP push",
                                          "--segment-duration", "2", "--stop-after", "8"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let pusher = try Harness.ffmpegSource(format: "rtsp", output: url, extra: ["-rtsp_transport", "tcp"])
        defer { pusher.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(manifest.mediaDuration >= 4)
        #expect(manifest.streams.count == 2, "\(manifest.streams)")
    }

    @Test("pulls RTSP from a server, falling back to RTP over UDP when the server refuses TCP")
    func rtspPullWithUDPFallback() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let clientPort = Harness.freePort(), sourcePort = Harness.freePort()
        let relay = try Harness.Running("/usr/bin/perl", [root.appendingPathComponent("Scripts/rtsp-relay.pl").path, String(clientPort),
                                                         String(sourcePort), String(Int.random(in: 20_000..<30_000) * 2)])
        defer { relay.stop() }
        // Perl loads RTSP::Server (Moose) for a second or more on a busy machine; push once it listens.
        #expect(Harness.waitUntil(timeout: 20) { Harness.accepts(port: sourcePort) }, "the relay never listened")
        let pusher = try Harness.ffmpegSource(format: "rtsp", output: "rtsp://127.0.0.1:\(sourcePort)/briefing",
                                              extra: ["-rtsp_transport", "udp"])
        defer { pusher.stop() }
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "rtsp://127.0.0.1:\(clientPort)/briefing", "--archive", archive, "--title", "RTSP pull",
                                          "--segment-duration", "2", "--wait", "30", "--stop-after", "8"])
        let result = recorder.wait(timeout: 90)
        #expect(result.status == 0, "\(result.stderr)\npusher: \(pusher.process.isRunning ? "running" : pusher.wait(timeout: 1).stderr)")
        #expect(result.stderr.contains("receiving it over UDP"), "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(manifest.mediaDuration >= 4)
        #expect(manifest.streams.count == 2, "\(manifest.streams)")
    }

    @Test("records MPEG-TS over UDP")
    func mpegTSOverUDP() throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "udp://127.0.0.1:\(port)", "--archive", archive, "--title", "UDP",
                                          "--segment-duration", "2", "--stop-after", "8"])
        let source = try Harness.ffmpegSource(format: "mpegts", output: "udp://127.0.0.1:\(port)?pkt_size=1316")
        defer { source.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(manifest.mediaDuration >= 4)
    }

    @Test("keeps one session with a recorded gap when the source dies and comes back; SIGINT closes it")
    func sourceKilledAndRestarted() throws {
        let port = Harness.freePort()
        let url = "tcp://127.0.0.1:\(port)"
        let archive = Harness.temporaryFolder("archive")
        var source = try Harness.ffmpegSource(format: "mpegts", output: url + "?listen=1")
        let recorder = try Harness.start(["record", url, "--archive", archive, "--title", "Flapping", "--segment-duration", "2",
                                          "--wait", "20", "--stall-timeout", "3"])
        #expect(Harness.waitUntil(timeout: 30) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 2 })
        source.signal(SIGKILL)
        source.wait()
        let killedAt = Date()
        usleep(4_000_000)
        source = try Harness.ffmpegSource(format: "mpegts", output: url + "?listen=1")
        defer { source.stop() }
        #expect(Harness.waitUntil(timeout: 20) {
            Harness.currentSession(in: archive)?.gaps.count == 1
        }, "no gap recorded after the source came back")
        let outage = Date().timeIntervalSince(killedAt)
        #expect(Harness.waitUntil(timeout: 30) { Harness.currentSession(in: archive)?.segments.contains { $0.discontinuity } == true })
        recorder.signal(SIGINT)
        let result = recorder.wait(timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")

        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        #expect(manifest.reconnects == 1)
        let gap = try #require(manifest.gaps.first)
        #expect(gap.duration >= 3 && gap.duration <= outage + 1, "gap of \(gap.duration) s for a ~4 s outage")
        #expect(manifest.segments.contains { $0.discontinuity })
        // The session clock keeps going forward across the reconnect.
        for (a, b) in zip(manifest.segments, manifest.segments.dropFirst()) {
            #expect(b.mediaStart >= a.mediaStart + a.duration - 0.2, "segment \(b.file) starts before \(a.file) ends")
        }
        try Harness.expectPlayable(manifest, archive: archive)
        let playlist = try String(contentsOfFile: Archive(path: archive).playlistPath(of: manifest.id), encoding: .utf8)
        #expect(playlist.contains("#EXT-X-DISCONTINUITY"))
        #expect(manifest.stopReason == "stopped by the user")
        // Read back whole, across segment boundaries and the reconnect: no continuity or timestamp complaints.
        let warnings = try Harness.playlistWarnings(Archive(path: archive).playlistPath(of: manifest.id))
        #expect(warnings.isEmpty, "ffmpeg reading the playlist back: \(warnings.prefix(600))")
    }

    @Test("after kill -9, recovery closes the session and keeps every finished segment")
    func killedRecorderIsRecovered() throws {
        let archive = Harness.temporaryFolder("archive")
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let recorder = try Harness.start(["record", url, "--archive", archive, "--title", "Killed", "--segment-duration", "2", "--wait", "20"])
        #expect(Harness.waitUntil(timeout: 20) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 3 })
        usleep(700_000)
        recorder.signal(SIGKILL)
        recorder.wait()
        let before = try Harness.onlySession(in: archive)
        #expect(before.state == .recording)

        // The next command that opens the archive recovers it (`siaran` hands that to `siaran-media`).
        let result = try Harness.run(["sessions", "--archive", archive])
        #expect(result.status == 0)
        #expect(result.stderr.contains("recovered session \(before.id)"))
        let after = try Harness.onlySession(in: archive)
        #expect(after.state == .interrupted)
        #expect(after.openSegment == nil)
        // Nothing finished is lost; at most the one segment being written is.
        #expect(Array(after.segments.prefix(before.segments.count)) == before.segments)
        #expect(after.segments.count >= before.segments.count)
        try Harness.expectPlayable(after, archive: archive)
        // A second recovery has nothing to do.
        #expect(try Harness.run(["recover", "--archive", archive]).stdout.contains("nothing to recover"))
    }

    @Test("a second SIGINT stops at once and still leaves a valid archive")
    func secondInterrupt() throws {
        let archive = Harness.temporaryFolder("archive")
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let recorder = try Harness.start(["record", url, "--archive", archive, "--segment-duration", "2", "--wait", "20"])
        #expect(Harness.waitUntil(timeout: 20) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 2 })
        usleep(500_000)
        recorder.signal(SIGINT)
        usleep(20_000)
        recorder.signal(SIGINT)
        let result = recorder.wait(timeout: 10)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        // Whether the second signal came before the first stop had finished the segment is a race;
        // either way the session is closed and every kept segment plays.
        #expect(manifest.stopReason == "stopped by the user")
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(!FileManager.default.fileExists(atPath: Archive(path: archive).lockPath(of: manifest.id)))
    }
}
