import Foundation
@testable import SiaranMedia
import SiaranTestSupport
import Testing

@Suite("What a recorded source may open")
struct SourceProtocolsTests {
    /// A 1 s MPEG-TS file made by ffmpeg.
    static func localFile() throws -> String {
        let path = TestFolder.make("protocols") + "/source.ts"
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-t", "1",
                            "-c:v", "libx264", "-preset", "ultrafast", "-f", "mpegts", path]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        #expect(ffmpeg.terminationStatus == 0)
        return path
    }

    @Test("a network source cannot open a file: address (protocol_whitelist); a local source can")
    func whitelist() throws {
        let path = try Self.localFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var network = InputOptions()
        network.protocols = .network
        #expect(throws: MediaError.self) { _ = try InputSource(url: "file://" + path, options: network, interrupt: InterruptControl()) }
        var local = InputOptions()
        local.protocols = .local
        #expect(try InputSource(url: path, options: local, interrupt: InterruptControl()).streams.count == 1)
    }
}
