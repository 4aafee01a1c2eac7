import Foundation
import SiaranArchive
import Testing

/// An RTSP push from GStreamer's `rtspclientsink`, which libav 5.1's listener refused on its own: it
/// sends `Transport: …;mode=RECORD` (libav compares with "record", case-sensitively), then retries its
/// SETUP on a new connection, which libav's idle listener fails with "Protocol not found".
@Suite("RTSP push from GStreamer", .timeLimit(.minutes(20)), .ownThreads)
struct RTSPPushTests {
    @Test("GStreamer rtspclientsink pushes to --listen and is recorded; a connection that begins with SETUP is closed and the listener goes on")
    func gstreamerRTSPPush() throws {
        let port = Harness.freePort()
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.start(["record", "rtsp://127.0.0.1:\(port)/live", "--listen", "--archive", archive,
                                          "--segment-duration", "2", "--stop-after", "8"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        // An encoder's retry on a new connection: SETUP before any ANNOUNCE. Closed by the gate, unanswered.
        let stray = try Self.exchange(port: port, "SETUP rtsp://127.0.0.1:\(port)/live/stream=0 RTSP/1.0\r\nCSeq: 1\r\n"
                                          + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=RECORD\r\n\r\n")
        #expect(stray.isEmpty, "the stray SETUP was answered: \(stray)")
        #expect(Harness.waitUntil(timeout: 5) { Harness.accepts(port: port) }, "the recorder stopped listening")
        let push = try Harness.Running("/usr/bin/gst-launch-1.0", ["-q",
            "videotestsrc", "is-live=true", "num-buffers=300", "!", "video/x-raw,width=320,height=240,framerate=25/1", "!",
            "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=25", "!", "h264parse", "!", "queue", "!", "m.",
            "audiotestsrc", "is-live=true", "!", "audioconvert", "!", "avenc_aac", "!", "aacparse", "!", "queue", "!", "m.",
            "rtspclientsink", "name=m", "location=rtsp://127.0.0.1:\(port)/live"])
        defer { push.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("Protocol not found"), "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.streams.count == 2, "\(manifest.streams)")
        try Harness.expectPlayable(manifest, archive: archive)
        let probed = try Harness.probeDuration(Archive(path: archive).playlistPath(of: manifest.id))
        #expect(manifest.mediaDuration >= 5 && abs(probed - manifest.mediaDuration) < 1, "media \(manifest.mediaDuration) s, ffprobe \(probed) s")
    }

    /// Sends `request` on a new connection and returns what came back before the connection closed (≤ 3 s).
    static func exchange(port: Int, _ request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        try #require(connected)
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = request.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
