import ArgumentParser
import Foundation
@testable import SiaranCLI
import Testing
import SiaranTestSupport

/// The command lines the web server runs: `thumbnail` and `clip -o -`.
extension CommandLineParsingTests {
    static func nowhere(_ name: String) -> String { "/nonexistent-siaran-\(UUID().uuidString)/" + name }

    @Test("thumbnail takes --at as a duration, --width 320 by default, -o - for standard output; and is a media command")
    func thumbnailArguments() throws {
        let file = Self.nowhere("t.jpg")
        let parsed = try parse(["thumbnail", "sesi", "--at", "00:01:30", "-o", file], as: Thumbnail.self)
        #expect(parsed.at == 90 && parsed.width == 320 && parsed.output == file && !parsed.toStandardOutput)
        let streamed = try parse(["thumbnail", "sesi", "--at", "12.5", "-o", "-", "--width", "640"], as: Thumbnail.self)
        #expect(streamed.at == 12.5 && streamed.width == 640 && streamed.toStandardOutput)
        expectRefused(["thumbnail", "sesi", "-o", file], saying: "--at")
        expectRefused(["thumbnail", "sesi", "--at", "soon", "-o", file], saying: "'soon' is not a duration")
        expectRefused(["thumbnail", "sesi", "--at", "1", "-o", file, "--width", "0"], saying: "--width must be between 16 and 3840")
        #expect(SiblingExecutable.media.commands.contains("thumbnail"))
    }

    @Test("thumbnail refuses to overwrite an existing file unless --force")
    func thumbnailExistingOutput() throws {
        let folder = TestFolder.make("siaran-parse")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/t.jpg"
        _ = FileManager.default.createFile(atPath: output, contents: Data("x".utf8))
        expectRefused(["thumbnail", "sesi", "--at", "1", "-o", output], saying: "\(output) exists", "--force")
        #expect(try parse(["thumbnail", "sesi", "--at", "1", "-o", output, "--force"], as: Thumbnail.self).force)
    }

    @Test("clip's container: --format, else the output's extension, mp4 for standard output; a mismatch is refused")
    func clipFormat() throws {
        let range = ["clip", "sesi", "--from", "10", "--to", "20"]
        #expect(try parse(range + ["-o", "-"], as: Clip.self).container == .mp4)
        #expect(try parse(range + ["-o", "-"], as: Clip.self).toStandardOutput)
        #expect(try parse(range + ["-o", "-", "--format", "ts"], as: Clip.self).container == .ts)
        #expect(try parse(range + ["-o", Self.nowhere("c.ts")], as: Clip.self).container == .ts)
        #expect(try parse(range + ["-o", Self.nowhere("c.MP4")], as: Clip.self).container == .mp4)
        #expect(try parse(range + ["-o", Self.nowhere("c.bin"), "--format", "ts"], as: Clip.self).container == .ts)
        expectRefused(range + ["-o", Self.nowhere("c.ts"), "--format", "mp4"], saying: "--format mp4 does not match")
        expectRefused(range + ["-o", "-", "--format", "mkv"], saying: "mkv")
    }
}

/// `siaran serve`'s own options.
extension CommandLineParsingTests {
    @Test("serve --trusted-proxy takes IP addresses (repeatable), never a host name")
    func trustedProxy() throws {
        let parsed = try parse(["serve", "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"], as: Serve.self)
        #expect(parsed.trustedProxies == ["127.0.0.1", "::1"])
        #expect(try parse(["serve"], as: Serve.self).trustedProxies.isEmpty)
        expectRefused(["serve", "--trusted-proxy", "proxy.example"], saying: "--trusted-proxy proxy.example", "IP address")
    }
}
