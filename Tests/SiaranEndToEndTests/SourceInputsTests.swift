import Foundation
import SiaranArchive
import Testing

@Suite("Sources that need something: standard input, HTTP headers, streamlink-style URLs", .timeLimit(.minutes(20)), .ownThreads)
struct SourceInputsTests {
    @Test("`… | siaran record -` records standard input and ends with it")
    func standardInput() throws {
        let archive = Harness.temporaryFolder("archive")
        let encode = Harness.liveEncode.map { "'\($0)'" }.joined(separator: " ")
        let shell = try Harness.Running("/bin/sh", ["-c", "/usr/bin/ffmpeg \(encode) -t 6 -f mpegts - | \"$0\" record - --archive \"$1\" --segment-duration 2 --title Pipa",
                                                    Harness.siaran, archive])
        let result = shell.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.source == "pipe:0")
        #expect(manifest.stopReason == "end of standard input", "\(manifest.stopReason ?? "")")
        #expect(manifest.mediaDuration >= 4 && manifest.gaps.isEmpty)
        try Harness.expectPlayable(manifest, archive: archive)
    }

    @Test("--header and --user-agent reach an HLS server that requires them; hls:// URLs are taken; the header is stored nowhere")
    func headers() throws {
        let web = Harness.temporaryFolder("web")
        try Harness.makeFile(web + "/index.m3u8", seconds: 6, extra: ["-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod"])
        let server = web + "/server.py"
        try """
        import http.server, sys
        class H(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                if self.headers.get("X-Token") != "rahasia-0a1b2c3d" or "Siaran-Test" not in (self.headers.get("User-Agent") or ""):
                    self.send_error(403); return
                super().do_GET()
            def log_message(self, *a): pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), lambda *a, **k: H(*a, directory=sys.argv[2], **k)).serve_forever()
        """.write(toFile: server, atomically: true, encoding: .utf8)
        let port = Harness.freePort()
        let http = try Harness.Running("/usr/bin/env", ["python3", server, String(port), web])
        defer { http.stop() }
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let refused = try Harness.run(["record", "http://127.0.0.1:\(port)/index.m3u8", "--archive", Harness.temporaryFolder("archive")])
        #expect(refused.status != 0, "the server should refuse a request without the header")
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "hls://http://127.0.0.1:\(port)/index.m3u8", "--archive", archive, "--segment-duration", "2",
                                      "--header", "X-Token: rahasia-0a1b2c3d", "--user-agent", "Siaran-Test/1"], timeout: 90)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(abs(manifest.mediaDuration - 6) < 1.5)
        #expect(!Harness.allText(under: archive).contains("rahasia-0a1b2c3d"))
        #expect(!result.stderr.contains("rahasia-0a1b2c3d"))
        let bad = try Harness.run(["record", "http://127.0.0.1:\(port)/index.m3u8", "--header", "no colon here"])
        #expect(bad.status != 0 && bad.stderr.contains("Name: value"), "\(bad.stderr)")
    }
}
