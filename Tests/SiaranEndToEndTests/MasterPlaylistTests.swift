import Foundation
import SiaranArchive
import Testing

@Suite("Master playlists", .timeLimit(.minutes(20)), .ownThreads)
struct MasterPlaylistTests {
    @Test("a master playlist listing a 320x180 variant first: the best is recorded by default, --quality picks another, and the choice is said")
    func variants() throws {
        let web = Harness.temporaryFolder("master")
        let make = try Harness.Running("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "6",
            "-filter_complex", "[0:v]split=2[a][b];[b]scale=320:180[small]", "-map", "[small]", "-map", "1:a", "-map", "[a]", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-b:v:0", "200k", "-b:v:1", "2000k",
            "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-var_stream_map", "v:0,a:0 v:1,a:1", "-master_pl_name", "master.m3u8",
            "-hls_segment_filename", web + "/v%v_%03d.ts", web + "/v%v.m3u8"]).wait(timeout: 120)
        #expect(make.status == 0, "\(make.stderr)")
        let port = Harness.freePort()
        let server = try Harness.Running("/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", web])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        for (quality, height) in [(nil, 720), ("worst", 180), ("480p", 180), ("720p", 720)] as [(String?, Int)] {
            let archive = Harness.temporaryFolder("archive")
            let result = try Harness.run(["record", "http://127.0.0.1:\(port)/master.m3u8", "--archive", archive, "--segment-duration", "2"]
                                         + (quality.map { ["--quality", $0] } ?? []), timeout: 90)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("offers 2 variants (180p") && result.stderr.contains("recording \(height)p"), "\(result.stderr)")
            let manifest = try Harness.onlySession(in: archive)
            #expect(manifest.streams.first { $0.kind == .video }?.height == height, "--quality \(quality ?? "(default)")")
            #expect(abs(manifest.mediaDuration - 6) < 1.5)
        }
        let refused = try Harness.run(["record", "http://127.0.0.1:\(port)/master.m3u8", "--quality", "hd"])
        #expect(refused.status != 0 && refused.stderr.contains("not a quality"), "\(refused.stderr)")
    }
}
