@testable import SiaranMedia
import Testing

@Suite("The RTSP gate's reader")
struct RTSPPushReaderTests {
    static let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=control:stream=0\r\n"
    static let push = "OPTIONS rtsp://encoder.example:8554/live RTSP/1.0\r\nCSeq: 1\r\n\r\n"
        + "ANNOUNCE rtsp://encoder.example:8554/live RTSP/1.0\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: \(sdp.utf8.count)\r\n\r\n" + sdp
        + "SETUP rtsp://encoder.example:8554/live/stream=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=RECORD\r\n\r\n"
        + "RECORD rtsp://encoder.example:8554/live RTSP/1.0\r\nCSeq: 4\r\nSession: 1\r\n\r\n"

    /// Feeds `text` in pieces of `piece` bytes; everything passed on (after an accepted push, the
    /// rest as the gate relays it), and the last step.
    static func run(_ text: String, by piece: Int) -> (passed: String, last: PushStep?) {
        var reader = RTSPPushReader(innerAuthority: "rtsp://127.0.0.1:4000")
        let bytes = Array(text.utf8)
        var passed: [UInt8] = []
        var last: PushStep?
        for start in stride(from: 0, to: bytes.count, by: piece) {
            last = reader.feed(Array(bytes[start..<min(start + piece, bytes.count)]))
            switch last! {
            case let .forward(out): passed += out
            case let .accepted(out):
                // The gate relays the rest unread.
                passed += out + bytes[min(start + piece, bytes.count)...]
                return (String(decoding: passed, as: UTF8.self), last)
            case .refused: return (String(decoding: passed, as: UTF8.self), last)
            }
        }
        return (String(decoding: passed, as: UTF8.self), last)
    }

    @Test("a push is passed on whole, in any pieces, with mode=record and libav's own host and port", arguments: [1, 7, 4096])
    func push(piece: Int) {
        let (passed, last) = Self.run(Self.push + "$\u{0}\u{0}\u{4}abcd", by: piece)
        if case .accepted = last {} else { Issue.record("not accepted: \(String(describing: last))") }
        #expect(passed.contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n"), "\(passed)")
        #expect(passed.contains("SETUP rtsp://127.0.0.1:4000/live/stream=0 RTSP/1.0\r\n"))
        #expect(passed.contains("ANNOUNCE rtsp://127.0.0.1:4000/live RTSP/1.0\r\n"))
        #expect(passed.contains(Self.sdp))
        #expect(!passed.contains("encoder.example"))
        #expect(passed.hasSuffix("$\u{0}\u{0}\u{4}abcd"))
    }

    @Test("a connection that begins with SETUP, RTP data or something else than RTSP is refused before anything is passed on")
    func refusals() {
        for start in ["SETUP rtsp://h/live/stream=0 RTSP/1.0\r\nCSeq: 0\r\n\r\n", "$\u{0}\u{0}\u{1}x", "GET / HTTP/1.1\r\n\r\n",
                      "ANNOUNCE rtsp://h/live RTSP/1.0\r\nContent-Length: 999999\r\n\r\n"] {
            let (passed, last) = Self.run(start, by: 4096)
            if case .refused = last {} else { Issue.record("\(start.prefix(20)): \(String(describing: last))") }
            #expect(passed.isEmpty)
        }
    }

    @Test("a quoted or mixed-case mode is written as libav's; other parameters are left as they are")
    func modes() {
        #expect(RTSPPushReader.lowerCaseMode(" RTP/AVP;unicast;client_port=5000-5001;mode=\"RECORD\"") == " RTP/AVP;unicast;client_port=5000-5001;mode=record")
        #expect(RTSPPushReader.lowerCaseMode("RTP/AVP/TCP;mode=Receive,RTP/AVP;mode=record") == "RTP/AVP/TCP;mode=receive,RTP/AVP;mode=record")
        #expect(RTSPPushReader.lowerCaseMode("RTP/AVP;mode=PLAY") == "RTP/AVP;mode=PLAY")
    }
}
