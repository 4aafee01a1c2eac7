import Foundation
import SiaranArchive
import Testing

@Suite("The stream key guards --listen", .timeLimit(.minutes(6)))
struct ListenCredentialsTests {
    @Test("an RTMP push with the wrong key or application is refused (logged, redacted); the right one is recorded", arguments: [
        "/live/sk_wrong_1a2b3c4d5e", "/other/sk_live_9f8e7d6c5b4a",
    ])
    func rtmpWrongKey(wrongPath: String) throws {
        let port = Harness.freePort()
        let key = "sk_live_9f8e7d6c5b4a"
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "rtmp://127.0.0.1:\(port)/live/\(key)", "--listen", "--archive", archive,
                                          "--segment-duration", "2", "--stop-after", "6"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let intruder = try Harness.ffmpegSource(format: "flv", output: "rtmp://127.0.0.1:\(port)\(wrongPath)", extra: ["-t", "4"])
        _ = intruder.wait(timeout: 30)
        #expect(Harness.currentSession(in: archive) == nil, "a push with the wrong key started a session")
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) }, "the recorder stopped listening")
        let pusher = try Harness.ffmpegSource(format: "flv", output: "rtmp://127.0.0.1:\(port)/live/\(key)")
        defer { pusher.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("refused a push"), "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.mediaDuration >= 3)
        for secret in [key, "sk_wrong_1a2b3c4d5e"] {
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "\(secret) was printed")
            #expect(!Harness.allText(under: archive).contains(secret))
        }
    }

    @Test("an RTSP push to another path is refused; the listened path is recorded")
    func rtspWrongPath() throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "rtsp://127.0.0.1:\(port)/live/kpu", "--listen", "--archive", archive,
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
