import Foundation
import SiaranArchive
import Testing

@Suite("Web pages as sources (yt-dlp)", .timeLimit(.minutes(20)), .ownThreads)
struct PageSourcesTests {
    @Test("a player page is resolved to the stream it plays (yt-dlp's generic extractor on loopback); a page without one says so")
    func playerPage() throws {
        let web = Harness.temporaryFolder("page")
        try Harness.makeFile(web + "/index.m3u8", seconds: 6, extra: ["-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod"])
        try "<html><head><title>Sosialisasi Bakohumas</title></head><body><video controls><source src=\"index.m3u8\" type=\"application/x-mpegURL\"></video></body></html>"
            .write(toFile: web + "/watch.html", atomically: true, encoding: .utf8)
        try "<html><head><title>Tidak ada siaran</title></head><body><p>Belum mulai.</p></body></html>"
            .write(toFile: web + "/empty.html", atomically: true, encoding: .utf8)
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let archive = Harness.temporaryFolder("archive")
        let page = "http://127.0.0.1:\(port)/watch.html"
        let result = try Harness.run(["record", page, "--archive", archive, "--segment-duration", "2"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("is a web page; recording the stream it plays"), "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.source == page)
        #expect(abs(manifest.mediaDuration - 6) < 1.5)
        try Harness.expectPlayable(manifest, archive: archive)
        let empty = try Harness.run(["record", "http://127.0.0.1:\(port)/empty.html", "--archive", Harness.temporaryFolder("archive")], timeout: 120)
        #expect(empty.status == 1 && empty.stderr.contains("no stream found at"), "\(empty.stderr)")
    }

    @Test("a page whose video is a file on this machine (file://) is refused: nothing of the file is recorded")
    func localFileInAPage() throws {
        let web = Harness.temporaryFolder("page")
        let secret = Harness.temporaryFolder("private") + "/secret.mp4"
        try Harness.makeFile(secret, seconds: 4)
        try "<html><head><title>Rapat</title></head><body><video controls src=\"file://\(secret)\"></video></body></html>"
            .write(toFile: web + "/watch.html", atomically: true, encoding: .utf8)
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        let archive = Harness.temporaryFolder("archive")
        let page = try Harness.run(["record", "http://127.0.0.1:\(port)/watch.html", "--archive", archive, "--segment-duration", "2"], timeout: 120)
        #expect(page.status == 1 && page.stderr.contains("not a network address"), "\(page.stderr)")
        let written = (FileManager.default.enumerator(atPath: archive)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".ts") }
        #expect(written.isEmpty, "the local file was recorded: \(written)")
        #expect(Harness.currentSession(in: archive) == nil)
    }
}
