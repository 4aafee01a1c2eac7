import Foundation
import SiaranArchive
import Testing

/// Live DASH from ffmpeg's own DASH muxer, served over loopback HTTP, recorded by `siaran record`
/// through streamlink (libav 5.1's DASH demuxer repeats live media).
@Suite("Live DASH through streamlink", .timeLimit(.minutes(20)), .ownThreads)
struct LiveDashTests {
    /// Records a live DASH stream that ends while it is recorded: the media is what the source sent
    /// while recorded (not doubled by the window streamlink sends again at the end), the archive reads
    /// back without a warning, the manifest's token appears nowhere.
    func recordLive(lowLatency: Bool, address: (Int, String) -> String) throws {
        let web = Harness.temporaryFolder("dash")
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        let shape = lowLatency ? ["-streaming", "1", "-ldash", "1"] : []
        let sourceStarted = Date()
        let live = try Harness.Running("/usr/bin/ffmpeg", Harness.liveEncode + ["-t", "26", "-f", "dash", "-seg_duration", "2", "-window_size", "5"]
                                       + shape + [web + "/live.mpd"])
        defer { live.stop() }
        #expect(Harness.waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: web + "/live.mpd") && Harness.accepts(port: port) })
        usleep(4_000_000)  // the first segments of the live MPD
        let archive = Harness.temporaryFolder("archive")
        let secret = "tok3nS3cretValue77"
        let recordStarted = Date()
        let result = try Harness.run(["record", address(port, secret), "--archive", archive, "--segment-duration", "2",
                                      "--stop-after", "45", "--give-up-after", "60"], timeout: 150)
        let recordEnded = Date()
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        // The source ran 26 s and was recorded from about 5 s in; streamlink starts a few segments
        // behind the live edge. Doubled media (the bug: the re-sent window stretched to twice its
        // length) is 10 s or more beyond the source.
        let sourceLeft = 26 - recordStarted.timeIntervalSince(sourceStarted)
        #expect(manifest.mediaDuration >= sourceLeft - 2 && manifest.mediaDuration <= sourceLeft + 7,
                "\(oneDecimal(manifest.mediaDuration)) s of media from \(oneDecimal(sourceLeft)) s of live source; warnings: \(manifest.warnings)")
        #expect(!manifest.warnings.contains { $0.contains("jumps") }, "\(manifest.warnings)")
        // The media is as long as the wall-clock time it covers (doubled media is 8 s longer), and
        // ends when the source did (a 2 s segment is served once it is complete: a few seconds late).
        // (The first segment's wall clock is taken from its own packets; when streamlink's start-up
        // backlog runs past it, that start is up to ~2 s late: measured 23.9 s of wall clock for 26 s.)
        let started = try #require(manifest.startedAt), ended = try #require(manifest.endedAt)
        #expect(abs(manifest.mediaDuration - ended.timeIntervalSince(started)) <= 3,
                "\(oneDecimal(manifest.mediaDuration)) s of media over \(oneDecimal(ended.timeIntervalSince(started))) s of wall clock")
        let sourceEnded = sourceStarted.addingTimeInterval(26)
        #expect(abs(ended.timeIntervalSince(sourceEnded)) <= 5, "the last frame's wall clock is \(ended.timeIntervalSince(sourceEnded)) s off the source's end")
        // The manifest turned static when the source ended: the session ends with it, not at
        // --stop-after nor after --give-up-after's reconnects, and with no gap at its end.
        #expect(recordEnded.timeIntervalSince(recordStarted) < sourceLeft + 15, "recorded for \(recordEnded.timeIntervalSince(recordStarted)) s")
        #expect(manifest.stopReason?.contains("the live DASH stream ended") == true, "\(manifest.stopReason ?? "no stop reason")")
        #expect(manifest.gaps.isEmpty, "\(manifest.gaps)")
        let playlist = Archive(path: archive).playlistPath(of: manifest.id)
        let warnings = try Harness.playlistWarnings(playlist)
        #expect(warnings.isEmpty, "reading the archive back: \(warnings.prefix(600))")
        #expect(abs(try Harness.probeDuration(playlist) - manifest.mediaDuration) <= 1)
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(!result.stderr.contains(secret) && !Harness.allText(under: archive).contains(secret))
        #expect(manifest.source.contains("live.mpd"))
    }

    @Test("a live DASH stream (ffmpeg's DASH muxer) is recorded through streamlink: the media once, to the source's end, read back clean")
    func liveDash() throws {
        try recordLive(lowLatency: false) { port, secret in "http://127.0.0.1:\(port)/live.mpd?token=\(secret)" }
    }

    @Test("low-latency live DASH (chunked CMAF, -ldash 1 -streaming 1) given as dash://… is recorded the same way")
    func lowLatencyDash() throws {
        try recordLive(lowLatency: true) { port, secret in "dash://http://127.0.0.1:\(port)/live.mpd?token=\(secret)" }
    }
}

/// A number for messages.
private func oneDecimal(_ value: Double) -> String { String(format: "%.1f", value) }
