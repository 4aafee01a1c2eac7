import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: archive files and pages")
struct MediaAndPagesTests {
    @Test("playlists, segments and captions are served with their types, byte ranges and cache rules")
    func mediaFiles() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/media/\(fixture.finished)/index.m3u8", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.apple.mpegurl")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(String(buffer: response.body).contains("#EXT-X-ENDLIST"))
            }
            var ranged = vera.headers
            ranged[.range] = "bytes=100-199"
            try await client.execute(uri: "/media/\(fixture.finished)/000003.ts", method: .get, headers: ranged) { response in
                #expect(response.status == .partialContent)
                #expect(response.headers[.contentRange] == "bytes 100-199/1000")
                #expect(response.body.readableBytes == 100)
                #expect(response.headers[.contentType] == "video/mp2t")
            }
            try await client.execute(uri: "/media/\(fixture.finished)/captions/notulen.vtt", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && String(buffer: response.body).hasPrefix("WEBVTT"))
            }
        }
    }

    @Test("no URL reaches outside a session's media and captions: not the manifest, the users file, a link, or ..")
    func hostilePaths() async throws {
        let fixture = try ServerFixture()
        // A crafted archive: a segment that is a link to a file outside, and one to the users file.
        let media = fixture.archive.mediaDirectory(of: fixture.finished)
        try FileManager.default.removeItem(atPath: media + "/000004.ts")
        try FileManager.default.createSymbolicLink(atPath: media + "/000004.ts", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: media + "/users.m3u8", withDestinationPath: fixture.archive.root + "/.users.json")
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            for uri in ["/media/\(fixture.finished)/000004.ts", "/media/\(fixture.finished)/users.m3u8",
                        "/media/\(fixture.finished)/../session.json", "/media/\(fixture.finished)/%2e%2e/session.json",
                        "/media/\(fixture.finished)/session.json", "/media/.users.json", "/media/%2e%2e/%2e%2e/etc/passwd",
                        "/media/\(fixture.finished)/captions/../../.users.json", "/media/\(fixture.finished)/captions/x/notulen.vtt",
                        "/media/.locks/\(fixture.live).lock", "/media/\(fixture.finished)/media/000001.ts"] {
                try await client.execute(uri: uri, method: .get, headers: vera.headers) { response in
                    #expect([400, 404].contains(response.status.code), "\(uri): \(response.status)")
                    let text = String(buffer: response.body)
                    #expect(!text.contains("root:") && !text.contains("passwordHash"), "\(uri)")
                }
            }
        }
    }

    @Test("every page renders for its role, with the CSRF token, its script and a strict content policy; assets are served")
    func pages() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            for (uri, script) in [("/", "archive"), ("/search?q=hoaks", "search"), ("/sessions/\(fixture.finished)?t=40", "session"),
                                  ("/sessions/\(fixture.live)/live", "live")] {
                try await client.execute(uri: uri, method: .get, headers: tono.headers) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let page = String(buffer: response.body)
                    // Each script under its content-hashed name (cached for a year; an upgrade changes the name).
                    #expect(page.range(of: "<script src=\"/assets/\(script)\\.[0-9a-f]{12}\\.js\"></script>", options: .regularExpression) != nil, "\(uri)")
                    #expect(page.contains("<html lang=\"id\">"), "\(uri): Indonesian by default")
                    #expect(page.contains("data-csrf=\"\(tono.csrf)\""), "\(uri)")
                    #expect(page.contains("tono (penanda)"), "\(uri)")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                }
            }
            try await client.execute(uri: "/sessions/\(fixture.finished)", method: .get, headers: tono.headers) { response in
                #expect(String(buffer: response.body).contains("<h1 id=\"title\">Rapat pleno rekapitulasi</h1>"))
            }
            // No shared catalog: no national catalog in the header, even for an admin.
            let ada = try await client.signIn("ada")
            try await client.execute(uri: "/", method: .get, headers: ada.headers) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("href=\"/settings\"") && !page.contains("href=\"/catalog\""))
            }
            // A mistyped session link is a page that says so, not JSON.
            try await client.execute(uri: "/sessions/nope", method: .get, headers: tono.headers) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("Tidak ada sesi “nope”"))
            }
            for name in ["siaran.css", "common.js", "archive.js", "session.js", "search.js", "live.js", "messages-id.js", "messages-en.js"] {
                try await client.execute(uri: "/assets/\(name)", method: .get) { response in
                    #expect(response.status == .ok && response.body.readableBytes > 500, "\(name)")
                    #expect(response.headers[.cacheControl] == "no-cache", "\(name)")
                }
                let hashed = try await client.execute(uri: "/", method: .get, headers: tono.headers) { response in
                    String(buffer: response.body).range(of: "/assets/" + name.replacingOccurrences(of: ".", with: "\\.[0-9a-f]{12}\\."), options: .regularExpression)
                        .map { String(String(buffer: response.body)[$0]) }
                }
                if name == "siaran.css" || name == "common.js" || name == "archive.js" || name == "messages-id.js" {
                    let url = try #require(hashed, "\(name) is linked from the archive page by its hashed name")
                    try await client.execute(uri: url, method: .get) { response in
                        #expect(response.status == .ok && response.headers[.cacheControl]?.contains("immutable") == true, "\(url)")
                    }
                }
            }
            try await client.execute(uri: "/assets/../.users.json", method: .get) { #expect([400, 404].contains($0.status.code)) }
        }
    }

    @Test("a title with markup is shown as text, never run")
    func escaping() async throws {
        let fixture = try ServerFixture()
        var manifest = try fixture.archive.loadManifest(fixture.finished)
        manifest.title = "<script>alert(1)</script> & \"quotes\""
        try fixture.archive.saveManifest(manifest)
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/sessions/\(fixture.finished)", method: .get, headers: vera.headers) { response in
                let page = String(buffer: response.body)
                #expect(!page.contains("<script>alert(1)</script>"))
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }
    }
}
