import Foundation
import SiaranArchive
import Testing

/// `siaran serve` as a user runs it: a real server on loopback over an imported session, a user made
/// with `siaran user add`, and curl and ffprobe as the clients.
@Suite("siaran serve end to end", .timeLimit(.minutes(20)), .ownThreads)
struct ServeTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func curl(_ arguments: [String]) throws -> Harness.Output {
        try Harness.Running("/usr/bin/curl", ["-s", "--max-time", "30"] + arguments).wait(timeout: 40)
    }

    @Test("serve: sign in, list, thumbnail, the MP4 playback stream from a moment, a clip download, HLS through the server")
    func serve() throws {
        let folder = Harness.temporaryFolder("serve")
        let archive = folder + "/archive"
        let file = folder + "/briefing.mp4"
        try Harness.makeFile(file, seconds: 8)
        let imported = try Harness.run(["import", file, "--archive", archive, "--segment-duration", "2"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let id = try #require(Archive(path: archive).sessionIDs().first)

        let quoted = "'\(Harness.siaran)' user add ada --role admin --password-stdin --archive '\(archive)'"
        let added = try Harness.Running("/bin/bash", ["-c", "echo 'kata-sandi-rahasia' | \(quoted)"]).wait()
        #expect(added.status == 0 && added.stdout.contains("added ada (admin)"), "\(added.stderr)")
        let listed = try Harness.run(["user", "list", "--archive", archive])
        #expect(listed.stdout.contains("ada  admin"))

        let port = Harness.freePort()
        let server = try Harness.start(["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(port)"
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) }, "the server did not start: \(server.wait(timeout: 1).stderr)")

        let jar = folder + "/cookies"
        let login = try Self.curl(["-c", jar, "-H", "Content-Type: application/json", "-d", #"{"name":"ada","password":"kata-sandi-rahasia"}"#,
                                   base + "/api/login"])
        #expect(login.stdout.contains("\"role\":\"admin\""), "\(login.stdout)")
        let sessions = try Self.curl(["-b", jar, base + "/api/sessions"])
        #expect(sessions.stdout.contains("\"id\":\"\(id)\""))

        let thumbnail = folder + "/thumb.jpg"
        _ = try Self.curl(["-b", jar, "-o", thumbnail, base + "/api/sessions/\(id)/thumbnail?at=3&width=320"])
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: thumbnail))
        #expect(jpeg.prefix(2) == Data([0xFF, 0xD8]), "not a JPEG: \(String(decoding: jpeg.prefix(200), as: UTF8.self))")

        // The news post's photo: a keyframe made by a siaran-media child, then inside the HTML export.
        let csrf = try #require(login.stdout.firstMatch(of: /"csrfToken":"([^"]+)"/).map { String($0.1) })
        let picked = try Self.curl(["-b", jar, "-X", "PUT", "-H", "Content-Type: application/json", "-H", "X-CSRF-Token: \(csrf)",
                                    "-d", #"{"at":3}"#, base + "/api/sessions/\(id)/post"  + "/photo"])
        #expect(picked.stdout.contains(#""photo":{"at":3"#), "\(picked.stdout)")
        let photo = folder + "/photo.jpg"
        _ = try Self.curl(["-b", jar, "-o", photo, base + "/api/sessions/\(id)/post/photo"])
        let photoData = try Data(contentsOf: URL(fileURLWithPath: photo))
        #expect(photoData.prefix(2) == Data([0xFF, 0xD8]) && photoData.count > jpeg.count, "a full-width JPEG")
        let html = try Self.curl(["-b", jar, base + "/api/sessions/\(id)/post/export?format=html"])
        #expect(html.stdout.contains("src=\"data:image/jpeg;base64,\(photoData.base64EncodedString())\""))
        let post = try Harness.run(["post", id, "--format", "md", "-o", folder + "/berita.md", "--archive", archive])
        #expect(post.status == 0 && FileManager.default.contents(atPath: folder + "/post-photo.jpg") == photoData, "\(post.stderr)")

        let playback = folder + "/playback.mp4"
        _ = try Self.curl(["-b", jar, "-o", playback, base + "/api/sessions/\(id)/playback.mp4?start=4"])
        let played = try Harness.probeDuration(playback)
        #expect(abs(played - 4) < 1.2, "the stream from 4 s of 8 s lasts \(played) s")
        #expect(try Harness.decodesCleanly(playback).ok)

        let clip = folder + "/clip.mp4"
        let headers = try Self.curl(["-b", jar, "-D", "-", "-o", clip, base + "/api/sessions/\(id)/clip?from=2&to=5"])
        #expect(headers.stdout.lowercased().contains("content-disposition: attachment"))
        #expect(abs(try Harness.probeDuration(clip) - 3) < 1.2)

        // HLS through the server, with the sign-in cookie, read whole by ffprobe.
        let cookie = try String(contentsOfFile: jar, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: "\t")
            return fields.count == 7 && fields[5] == "siaran_signin" ? "siaran_signin=\(fields[6])" : nil
        }.first ?? ""
        let probe = try Harness.Running("/usr/bin/ffprobe", ["-v", "error", "-headers", "Cookie: \(cookie)\r\n", "-show_entries", "format=duration",
                                                             "-of", "csv=p=0", base + "/media/\(id)/index.m3u8"]).wait(timeout: 60)
        #expect(abs((Double(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) - 8) < 1, "\(probe.stderr)")

        // Without the cookie, nothing.
        let anonymous = try Self.curl(["-o", "/dev/null", "-w", "%{http_code}", base + "/media/\(id)/index.m3u8"])
        #expect(anonymous.stdout == "401")
        server.signal(SIGTERM)
        let ended = server.wait(timeout: 15)
        #expect(ended.stderr.contains("Siaran is serving") || ended.stdout.contains("Siaran is serving"), "\(ended.stderr)")
    }

    @Test("serve refuses a bad address with a clear message, and warns when listening beyond this machine")
    func addresses() throws {
        let bad = try Harness.run(["serve", "--listen", "127.0.0.1:port", "--archive", Harness.temporaryFolder("serve-bad")])
        #expect(bad.status != 0 && bad.stderr.contains("is not a port number"), "\(bad.stderr)")
        let port = Harness.freePort()
        let server = try Harness.start(["serve", "--archive", Harness.temporaryFolder("serve-wide"), "--listen", "0.0.0.0:\(port)"])
        defer { server.stop() }
        #expect(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        server.signal(SIGTERM)
        let ended = server.wait(timeout: 15)
        #expect(ended.stderr.contains("without TLS"), "\(ended.stderr)")
        #expect(ended.stderr.contains("no users yet"))
    }
}
