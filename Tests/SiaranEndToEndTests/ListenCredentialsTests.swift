import Foundation
import SiaranArchive
import Testing

@Suite("The stream key guards --listen", .timeLimit(.minutes(20)), .ownThreads)
struct ListenCredentialsTests {
    static let wrongPushes = ["/live/sk_wrong_1a2b3c4d5e", "/other/sk_live_9f8e7d6c5b4a"]

    @Test("an RTMP push with the wrong key or application is refused before libav reads it; the right one is recorded",
          arguments: wrongPushes)
    func rtmpWrongKey(wrongPath: String) throws {
        try Self.wrongKeyScenario(siaran: Harness.siaran, wrongPath: wrongPath)
    }

    @Test("the same against the release executables (swift build -c release --static-swift-stdlib), as users run them",
          .enabled(if: Harness.releaseSiaran != nil, "skipped: no release build in .build/release (swift build -c release --static-swift-stdlib)"),
          arguments: wrongPushes)
    func rtmpWrongKeyRelease(wrongPath: String) throws {
        try Self.wrongKeyScenario(siaran: try #require(Harness.releaseSiaran), wrongPath: wrongPath)
    }

    /// `record rtmp://…/live/KEY --listen`, an ffmpeg push to `wrongPath`, then one to the key. libav's
    /// log is on: it must never see the wrong application or key (it would log "App field don't match
    /// up" or "Unexpected stream"), nor write a segment for it.
    static func wrongKeyScenario(siaran: String, wrongPath: String) throws {
        let port = Harness.freePort()
        let key = "sk_live_9f8e7d6c5b4a"
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.Running(siaran, ["record", "rtmp://127.0.0.1:\(port)/live/\(key)", "--listen", "--archive", archive,
                                                    "--segment-duration", "1", "--stop-after", "6"],
                                           environment: ["SIARAN_LIBAV_LOG": "warning"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let intruder = try Harness.ffmpegSource(format: "flv", output: "rtmp://127.0.0.1:\(port)\(wrongPath)", extra: ["-t", "4"])
        let turnedAway = intruder.wait(timeout: 30)
        #expect(turnedAway.status != 0, "the pusher with the wrong key was not turned away")
        #expect(Harness.currentSession(in: archive) == nil, "a push with the wrong key started a session")
        let written = (FileManager.default.enumerator(atPath: archive)?.allObjects as? [String] ?? []).filter { $0.contains("media/") }
        #expect(written.isEmpty, "a push with the wrong key wrote \(written)")
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) }, "the recorder stopped listening")
        let pusher = try Harness.ffmpegSource(format: "flv", output: "rtmp://127.0.0.1:\(port)/live/\(key)")
        defer { pusher.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let reason = wrongPath.hasPrefix("/live/") ? "another stream key" : "another RTMP application"
        #expect(result.stderr.contains("refused a push") && result.stderr.contains(reason), "\(result.stderr)")
        for libavSawIt in ["Unexpected stream", "App field don't match up"] {
            #expect(!result.stderr.contains(libavSawIt), "libav read the wrong push's command: \(result.stderr)")
        }
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.mediaDuration >= 3)
        for secret in [key, "sk_wrong_1a2b3c4d5e"] {
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "\(secret) was printed")
            #expect(!Harness.allText(under: archive).contains(secret))
        }
    }

    @Test("an RTSP push to another path is refused; the listened path is recorded")
    func rtspWrongPath() throws {
        try Self.wrongPathScenario(siaran: Harness.siaran)
    }

    @Test("the same against the release executables",
          .enabled(if: Harness.releaseSiaran != nil, "skipped: no release build in .build/release (swift build -c release --static-swift-stdlib)"))
    func rtspWrongPathRelease() throws {
        try Self.wrongPathScenario(siaran: try #require(Harness.releaseSiaran))
    }

    static func wrongPathScenario(siaran: String) throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.Running(siaran, ["record", "rtsp://127.0.0.1:\(port)/live/kpu", "--listen", "--archive", archive,
                                                    "--segment-duration", "2", "--stop-after", "6"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let intruder = try Harness.ffmpegSource(format: "rtsp", output: "rtsp://127.0.0.1:\(port)/other/path", extra: ["-t", "3", "-rtsp_transport", "tcp"])
        _ = intruder.wait(timeout: 30)
        #expect(Harness.currentSession(in: archive) == nil, "a push to another path started a session")
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) }, "the recorder stopped listening")
        let pusher = try Harness.ffmpegSource(format: "rtsp", output: "rtsp://127.0.0.1:\(port)/live/kpu", extra: ["-rtsp_transport", "tcp"])
        defer { pusher.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("refused a push"), "\(result.stderr)")
        #expect(try Harness.onlySession(in: archive).mediaDuration >= 3)
    }
}
