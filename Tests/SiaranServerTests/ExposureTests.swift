import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SiaranArchive
import SiaranCatalogSQLite
import SiaranCore
@testable import SiaranServer
import SiaranTestSupport
import Synchronization
import Testing

@Suite("Web companion: what a crafted archive or an anonymous visitor can learn")
struct ExposureTests {
    @Test("a hard link to a file outside the archive is not served; a plain segment still is")
    func hardLink() async throws {
        let fixture = try ServerFixture()
        let outside = TestFolder.make("outside") + "/secret.ts"
        try Data("root:x:0:0:secret".utf8).write(to: URL(fileURLWithPath: outside))
        let segment = fixture.archive.mediaDirectory(of: fixture.finished) + "/000005.ts"
        try FileManager.default.removeItem(atPath: segment)
        #expect(link(outside, segment) == 0)
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            var ranged = vera.headers
            ranged[.range] = "bytes=0-3"
            for headers in [vera.headers, ranged] {
                try await client.execute(uri: "/media/\(fixture.finished)/000005.ts", method: .get, headers: headers) { response in
                    #expect(response.status == .notFound)
                    #expect(!String(buffer: response.body).contains("secret"))
                }
            }
            try await client.execute(uri: "/media/\(fixture.finished)/000004.ts", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && response.body.readableBytes == 1000)
            }
        }
    }

    @Test("a linked session folder is no session (404), and no answer names where the archive is")
    func linkedSessionFolder() async throws {
        let fixture = try ServerFixture()
        let elsewhere = TestFolder.make("elsewhere") + "/copy"
        try FileManager.default.copyItem(atPath: fixture.archive.directory(of: fixture.finished), toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: fixture.archive.root + "/linked", withDestinationPath: elsewhere)
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            for uri in ["/api/sessions/linked", "/api/sessions/linked/report", "/api/sessions/linked/transcript", "/sessions/linked"] {
                try await client.execute(uri: uri, method: .get, headers: vera.headers) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(!String(buffer: response.body).contains(fixture.archive.root), "\(uri)")
                }
            }
        }
    }

    @Test("a download named after a folder with a quote keeps its Content-Disposition whole (RFC 6266 filename*)")
    func contentDisposition() async throws {
        let fixture = try ServerFixture()
        let id = "rapat\"x; filename=evil.exe"
        try FileManager.default.copyItem(atPath: fixture.archive.directory(of: fixture.finished), toPath: fixture.archive.directory(of: id))
        var manifest = try fixture.archive.loadManifest(fixture.finished)
        manifest.id = id
        try fixture.archive.saveManifest(manifest)
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/api/sessions/\(id)/report?format=md", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok)
                let header = response.headers[.contentDisposition] ?? ""
                #expect(header == #"attachment; filename="rapat_x__filename_evil.exe.md"; filename*=UTF-8''rapat%22x%3B%20filename%3Devil.exe.md"#, "\(header)")
            }
        }
    }

    @Test("anonymous visitors cannot tell which session ids exist: a page is a sign-in redirect either way")
    func probing() async throws {
        for publicViewing in [false, true] {
            let fixture = try ServerFixture(publicViewing: publicViewing)
            try await fixture.test { client in
                var answers: [String] = []
                let pages = publicViewing ? ["/sessions/\(fixture.live)/live", "/sessions/no-such-session/live"]
                                          : ["/sessions/\(fixture.finished)", "/sessions/no-such-session", "/sessions/\(fixture.live)/live", "/sessions/nothing/live"]
                for uri in pages {
                    try await client.execute(uri: uri, method: .get) { response in
                        answers.append("\(response.status.code) \(response.headers[.location]?.hasPrefix("/login?next=") == true)")
                    }
                }
                #expect(Set(answers) == ["303 true"], "\(answers)")
            }
        }
    }

    @Test("with --public, anonymous visitors see neither the schedule nor who starred or edited a post")
    func publicNames() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/post/quotes", method: .post, headers: tono.writeHeaders,
                                     body: ByteBuffer(string: #"{"at":40}"#)) { #expect($0.status == .ok || $0.status == .created) }
            let anonymous = try await client.execute(uri: "/api/sessions/\(fixture.finished)/post", method: .get) { String(buffer: $0.body) }
            #expect(anonymous.contains("hoaks") && !anonymous.contains("tono") && !anonymous.contains("starredBy"))
            let signedIn = try await client.execute(uri: "/api/sessions/\(fixture.finished)/post", method: .get, headers: tono.headers) { String(buffer: $0.body) }
            #expect(signedIn.contains("web:tono"))
            #expect(try await client.json("/api/schedule").status == 401)
            try await client.execute(uri: "/schedule", method: .get) { #expect($0.status == .seeOther) }
            #expect(try await client.json("/api/schedule", headers: tono.headers).status == 200)
        }
    }

    @Test("a schedule title with a line break is one line: in the schedule and in the server's log")
    func logForging() async throws {
        let fixture = try ServerFixture()
        let lines = CapturedLines()
        let server = WebServer(configuration: ServerConfiguration(archive: fixture.archive, searchEngine: SQLiteCatalogEngine()),
                               logger: Logger(label: "test") { _ in CapturingLogHandler(lines: lines) })
        let forged = "Rapat\nwarning: the users file was replaced\r\u{1B}[2J"
        server.logger.notice("scheduled recording x '\(forged)'")
        #expect(lines.all.withLock { $0 } == [#"scheduled recording x 'Rapat\nwarning: the users file was replaced\r\#u{FFFD}[2J'"#])
        try await fixture.test { client in
            let ada = try await client.signIn("ada")
            let tomorrow = Date().addingTimeInterval(86400)
            let (status, made) = try await ScheduleRouteTests.post(client, ada, ["url": "rtmp://example.org/live/x", "title": forged,
                                                                                  "start": ISO8601.format(tomorrow)])
            #expect(status == 201)
            let title = made["title"] as? String ?? ""
            #expect(!title.contains("\n") && !title.contains("\r") && !title.contains("\u{1B}") && title.hasPrefix("Rapat warning"))
        }
    }
}
