@testable import SiaranMedia
import Testing

@Suite("The RTMP gate's reader")
struct RTMPPushReaderTests {
    /// AMF0 values.
    static func string(_ text: String) -> [UInt8] { [2, UInt8(text.utf8.count >> 8), UInt8(text.utf8.count & 0xff)] + Array(text.utf8) }
    static let number: [UInt8] = [0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]
    static func object(_ pairs: [(String, String)]) -> [UInt8] {
        [3] + pairs.flatMap { Array(string($0.0).dropFirst()) + string($0.1) } + [0, 0, 9]
    }

    /// One message as chunks of at most `size` bytes on chunk stream 3 (a type 0 header, then type 3).
    static func chunks(type: UInt8, _ payload: [UInt8], size: Int = 128) -> [UInt8] {
        let length = payload.count
        var out: [UInt8] = [0x03, 0, 0, 0, UInt8(length >> 16), UInt8((length >> 8) & 0xff), UInt8(length & 0xff), type, 0, 0, 0, 0]
        for (index, start) in stride(from: 0, to: length, by: size).enumerated() {
            if index > 0 { out.append(0xC3) }
            out += payload[start..<min(start + size, length)]
        }
        return out
    }

    static let handshake = [UInt8(3)] + [UInt8](repeating: 7, count: 1536 * 2)
    static func connect(app: String) -> [UInt8] {
        chunks(type: 20, string("connect") + number + object([("app", app), ("flashVer", "FMLE/3.0"), ("tcUrl", "rtmp://h/" + app)]))
    }
    static func command(_ name: String, stream: String) -> [UInt8] { chunks(type: 20, string(name) + number + [5] + string(stream)) }

    func run(_ reader: inout RTMPPushReader, _ bytes: [UInt8], by piece: Int) -> (forwarded: Int, last: RTMPPushReader.Step?) {
        var forwarded = 0
        var last: RTMPPushReader.Step?
        for start in stride(from: 0, to: bytes.count, by: piece) {
            let step = reader.feed(Array(bytes[start..<min(start + piece, bytes.count)]))
            last = step
            switch step {
            case let .forward(b): forwarded += b.count
            case let .accepted(b): return (forwarded + b.count, step)
            case .refused: return (forwarded, step)
            }
        }
        return (forwarded, last)
    }

    @Test("the right application and key pass, in any pieces; the wrong ones stop before the command reaches libav",
          arguments: [1, 7, 200, 5000])
    func checks(piece: Int) {
        let good = Self.handshake + Self.connect(app: "live") + Self.command("releaseStream", stream: "sk_live_1")
            + Self.command("FCPublish", stream: "sk_live_1") + Self.command("publish", stream: "sk_live_1") + [9, 9, 9]
        var reader = RTMPPushReader(application: "live", key: "sk_live_1")
        let accepted = run(&reader, good, by: piece)
        guard case .accepted = accepted.last else { Issue.record("not accepted: \(String(describing: accepted.last))"); return }
        #expect(accepted.forwarded >= good.count - 3, "every byte up to the publish goes on to libav")

        let prefix = Self.handshake + Self.connect(app: "live")
        var wrongKey = RTMPPushReader(application: "live", key: "sk_live_1")
        let refusedKey = run(&wrongKey, prefix + Self.command("FCPublish", stream: "sk_live_2") + Self.command("publish", stream: "sk_live_1"), by: piece)
        #expect(refusedKey.last == .refused("another stream key") && refusedKey.forwarded <= prefix.count)

        var wrongApp = RTMPPushReader(application: "live", key: "sk_live_1")
        let refusedApp = run(&wrongApp, Self.handshake + Self.connect(app: "other") + Self.command("publish", stream: "sk_live_1"), by: piece)
        #expect(refusedApp.last == .refused("another RTMP application") && refusedApp.forwarded <= Self.handshake.count)

        var media = RTMPPushReader(application: "live", key: "sk_live_1")
        let early = run(&media, prefix + Self.chunks(type: 9, [0x17, 0, 0, 0, 0]), by: piece)
        #expect(early.last == .refused("media before the push named its stream") && early.forwarded <= prefix.count)

        var noConnect = RTMPPushReader(application: "live", key: "sk_live_1")
        #expect(run(&noConnect, Self.handshake + Self.command("publish", stream: "sk_live_1"), by: piece).last == .refused("an RTMP publish before connect"))
    }

    @Test("not RTMP is refused at its first byte; the listened address gives the application and key")
    func addresses() {
        var http = RTMPPushReader(application: "live", key: "k")
        #expect(http.feed(Array("GET / HTTP/1.1\r\n".utf8)) == .refused("not an RTMP connection"))
        let parsed = RTMPPushReader(listeningURL: "rtmp://0.0.0.0:1935/live/sk_live_9f8e")
        #expect(parsed?.application == "live" && parsed?.key == "sk_live_9f8e")
        #expect(RTMPPushReader(listeningURL: "rtmp://0.0.0.0:1935/live") == nil)
        #expect(RTMPPushReader.same("sk_live_1", "sk_live_1") && !RTMPPushReader.same("sk_live_1", "sk_live_10") && !RTMPPushReader.same("", "a"))
    }
}
