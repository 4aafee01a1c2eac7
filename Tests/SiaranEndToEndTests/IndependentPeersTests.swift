import Foundation
import SiaranArchive
import Testing

/// Peers nobody here wrote: GStreamer as a source (an OBS-like RTMP push: flvmux ! rtmp2sink), and
/// mpv and GStreamer's playbin as players of the archives, ts and fmp4.
@Suite("Independent sources and players", .timeLimit(.minutes(20)), .ownThreads)
struct IndependentPeersTests {
    /// Plays `playlist` through mpv and through playbin, as fast as they go; their complaints.
    static func play(_ playlist: String) throws -> (mpv: String, playbin: String, mpvStatus: Int32, playbinStatus: Int32) {
        let mpv = try Harness.Running("/usr/bin/mpv", ["--no-config", "--vo=null", "--ao=null", "--untimed", "--msg-level=all=warn", playlist]).wait(timeout: 120)
        let playbin = try Harness.Running("/usr/bin/gst-launch-1.0", ["-q", "playbin", "uri=file://\(playlist)",
                                                                      "video-sink=fakesink sync=false", "audio-sink=fakesink sync=false"]).wait(timeout: 120)
        return (mpv.stdout + mpv.stderr, playbin.stdout + playbin.stderr, mpv.status, playbin.status)
    }

    @Test("a GStreamer RTMP push (flvmux ! rtmp2sink) is recorded without its onMetaData as captions, and plays in mpv and playbin", arguments: ["ts", "fmp4"])
    func gstreamerPush(format: String) throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "rtmp://127.0.0.1:\(port)/live/sk_gst_5e6f7a8b", "--listen", "--archive", archive,
                                          "--format", format, "--segment-duration", "2", "--stop-after", "8"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        // flvmux's latency: without it, a live flvmux writes a tag when its deadline passes and clamps
        // a later-arriving buffer's dts up to the last tag's ("Got backwards dts!", gstflvmux.c): steps
        // of up to 167 ms under load in the FLV itself, which mpv reports as "Invalid audio PTS".
        let push = try Harness.Running("/usr/bin/gst-launch-1.0", ["-q",
            "videotestsrc", "is-live=true", "num-buffers=300", "!", "video/x-raw,width=320,height=240,framerate=25/1", "!",
            "x264enc", "tune=zerolatency", "key-int-max=25", "!", "h264parse", "!", "flvmux", "name=m", "streamable=true", "latency=500000000", "!",
            "rtmp2sink", "location=rtmp://127.0.0.1:\(port)/live/sk_gst_5e6f7a8b",
            "audiotestsrc", "is-live=true", "num-buffers=520", "!", "voaacenc", "!", "aacparse", "!", "m."])
        defer { push.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(!manifest.streams.contains { $0.kind == .subtitle }, "\(manifest.streams)")
        #expect(!FileManager.default.fileExists(atPath: Archive(path: archive).captionsDirectory(of: manifest.id) + "/live.vtt"))
        #expect(manifest.mediaDuration >= 5)
        let playlist = Archive(path: archive).playlistPath(of: manifest.id)
        // (Not read back with `ffmpeg -f null`: this live GStreamer source stamps its frames with
        // jitter — 10800, 16560, 18000 in 90 kHz — and ffmpeg's null muxer, rounding to 25 fps slots,
        // reports two frames in one slot now and then. The archive keeps the source's timestamps.)
        let played = try Self.play(playlist)
        #expect(played.mpvStatus == 0 && !played.mpv.contains("Invalid") && !played.mpv.lowercased().contains("error"), "mpv: \(played.mpv.prefix(600))")
        #expect(played.playbinStatus == 0 && !played.playbin.contains("ERROR"), "playbin: \(played.playbin.prefix(600))")
    }

    @Test("an SRT sender with messages larger than 1316 bytes (srtsink without rndbuffersize) is named in a warning, not an empty session without a word")
    func srtMessagesTooLarge() throws {
        let port = Harness.freePort()
        let source = try Harness.Running("/usr/bin/gst-launch-1.0", ["-q",
            "videotestsrc", "is-live=true", "!", "video/x-raw,width=320,height=240,framerate=25/1", "!",
            "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=25", "!", "h264parse", "!", "mpegtsmux", "!",
            "srtsink", "uri=srt://127.0.0.1:\(port)?mode=listener", "wait-for-connection=false"])
        defer { source.stop() }
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "srt://127.0.0.1:\(port)", "--archive", archive, "--wait", "20", "--stop-after", "13"], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("no decodable media after 10 s") && result.stderr.contains("1316 bytes"), "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.warnings.contains { $0.contains("no decodable media") && $0.contains("rndbuffersize") }, "\(manifest.warnings)")
    }
}
