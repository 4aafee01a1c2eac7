import Foundation
import SiaranArchive
import SiaranTestSupport
import Testing

/// A live source that pauses without dropping the connection, for less than --stall-timeout, and
/// whose timestamps then go on as if it had sent all along (the encoder kept going; a relay lost
/// what it sent meanwhile): the stretch is a recorded gap, not smoothed away.
@Suite("Outages inside one connection", .timeLimit(.minutes(20)), .ownThreads)
struct OutageTests {
    /// Relays `ffmpeg`'s live MPEG-TS to the first client, throwing away what arrives between
    /// `from` and `from + for` seconds.
    static let relay = """
        import socket, subprocess, sys, time
        port, drop_from, drop_for, total = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
        server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port)); server.listen(1)
        client, _ = server.accept()
        ff = subprocess.Popen(sys.argv[5:] + ["-t", total, "-f", "mpegts", "pipe:1"], stdout=subprocess.PIPE)
        start = time.time()
        while True:
            chunk = ff.stdout.read1(188 * 7)
            if not chunk: break
            if not (drop_from <= time.time() - start < drop_from + drop_for): client.sendall(chunk)
        client.close()
        """

    /// One gap inside the connection ("the source sent nothing …") of about `length` s at about `position`.
    static func expectOneGap(_ manifest: SessionManifest, lasting length: Double, within lengthSlack: Double,
                             at position: Double, within positionSlack: Double) {
        let inside = manifest.gaps.filter { $0.reason.contains("sent nothing") }
        #expect(inside.count == 1, "gaps: \(manifest.gaps)")
        if let gap = inside.first {
            #expect(abs(gap.duration - length) <= lengthSlack, "gap \(gap.duration) s")
            #expect(abs(gap.mediaPosition - position) <= positionSlack, "at \(gap.mediaPosition) s")
        }
    }

    @Test("a 5 s pause with timestamps that jump on is one gap of about 5 s; media and wall clock stay true; every segment plays")
    func pauseWithJump() throws {
        let folder = Harness.temporaryFolder("outage")
        let script = folder + "/relay.py"
        try Self.relay.write(toFile: script, atomically: true, encoding: .utf8)
        let port = Harness.freePort()
        let relay = try Harness.Running("/usr/bin/python3", [script, String(port), "6", "5", "18", "/usr/bin/ffmpeg"] + Harness.liveEncode)
        defer { relay.stop() }
        // (No probe of the port: the relay serves its first client only; --wait covers its start.)
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "tcp://127.0.0.1:\(port)", "--archive", archive, "--segment-duration", "2",
                                      "--wait", "20", "--give-up-after", "2s"], timeout: 90)
        #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        Self.expectOneGap(manifest, lasting: 5, within: 1.5, at: 6, within: 2)
        // 18 s sent, 5 s of them lost: the media is what arrived, the session's wall clock all of it.
        #expect(abs(manifest.mediaDuration - 13) <= 2, "media \(manifest.mediaDuration) s")
        if let started = manifest.startedAt, let ended = manifest.endedAt {
            #expect(abs(ended.timeIntervalSince(started) - 18) <= 2.5, "wall \(ended.timeIntervalSince(started)) s")
        }
        // The segment after the gap is a discontinuity, and its wall clock follows the pause.
        let index = try #require(manifest.segments.firstIndex { $0.discontinuity })
        #expect(index > 0)
        let before = manifest.segments[index - 1], after = manifest.segments[index]
        let wallStep = after.wallClockStart.timeIntervalSince(before.wallClockStart) - before.duration
        #expect(abs(wallStep - 5) <= 1.5, "wall clock step over the gap \(wallStep) s")
        try Harness.expectPlayable(manifest, archive: archive)
    }

    /// The commonest outage: the encoder is restarted (a new ffmpeg process, timestamps starting
    /// again near zero) a few seconds later, well under --stall-timeout, over UDP.
    @Test("an encoder restarted after 4 s of silence over UDP is a gap of about 4 s at that moment, with the true wall clock after it")
    func restartedEncoder() throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "udp://127.0.0.1:\(port)", "--archive", archive, "--segment-duration", "2",
                                          "--wait", "20", "--stall-timeout", "10s", "--give-up-after", "3s"])
        defer { recorder.stop() }
        Thread.sleep(forTimeInterval: 1)
        try Harness.encodeRestarting(["-f", "mpegts", "udp://127.0.0.1:\(port)?pkt_size=1316"])
        // The source stays silent now; the recorder gives up after the stall (10 s) and 3 s more.
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        Self.expectOneGap(manifest, lasting: 4, within: 1, at: 8, within: 1.5)
        #expect(abs(manifest.mediaDuration - 16) <= 2, "media \(manifest.mediaDuration) s")
        let index = try #require(manifest.segments.firstIndex { $0.discontinuity && $0.mediaStart > 4 })
        let before = manifest.segments[index - 1], after = manifest.segments[index]
        let wallStep = after.wallClockStart.timeIntervalSince(before.wallClockStart) - before.duration
        #expect(abs(wallStep - 4) <= 1, "wall clock step over the gap \(wallStep) s")
        try Harness.expectPlayable(manifest, archive: archive)
    }
}
