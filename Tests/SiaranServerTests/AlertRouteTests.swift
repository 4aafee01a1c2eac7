import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SiaranArchive
import SiaranCatalogSQLite
import SiaranCore
@testable import SiaranServer
import SiaranTestSupport
import Testing

/// Saved searches and alerts: who may save and see them, the matching of new material (once, never
/// twice), the live notification, and the private Atom feed.
@Suite("Web companion: alerts for saved searches")
struct AlertRouteTests {
    /// Adds an imported session with captions `lines` (one every 10 s) to the archive, as an import does.
    static func addSession(_ archive: Archive, title: String, lines: [String]) throws -> String {
        let date = Date()
        let id = try archive.createSessionDirectory(title: title, date: date)
        var m = SessionManifest(id: id, title: title, kind: .imported, source: "rapat.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.startedAt = date
        m.endedAt = date.addingTimeInterval(Double(lines.count * 10))
        try archive.saveManifest(m)
        try writeCaptions(archive, id, lines)
        return id
    }

    static func writeCaptions(_ archive: Archive, _ id: String, _ lines: [String], name: String = "notulen.vtt") throws {
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        let cues = lines.enumerated().map { Cue(start: Double($0.offset * 10), end: Double($0.offset * 10 + 8), text: $0.element) }
        try AtomicFile.write(Data(WebVTT.render(cues).utf8), to: archive.captionsDirectory(of: id) + "/" + name)
        archive.noteChange()
    }

    static func save(_ client: some TestClientProtocol, _ who: SignedIn, _ body: [String: String]) async throws -> (status: Int, body: [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await client.execute(uri: "/api/alerts", method: .post, headers: who.writeHeaders, body: ByteBuffer(bytes: data)) { response in
            (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
        }
    }

    static func alerts(_ client: some TestClientProtocol, _ who: SignedIn) async throws -> [[String: Any]] {
        try await client.json("/api/alerts", headers: who.headers).body["alerts"] as? [[String: Any]] ?? []
    }

    @Test("roles, CSRF, bad input, others' searches invisible; a new matching session alerts once, a reindex not again; the Atom feed")
    func savedSearches() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        let server = fixture.server()
        try await server.application().test(.router) { client in
            // Anonymous (even with --public): alerts are an account's.
            #expect(try await client.json("/api/alerts").status == 401)
            try await client.execute(uri: "/alerts", method: .get) { #expect($0.status == .seeOther || $0.status == .found) }
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono")
            // A write without the CSRF token is refused.
            try await client.execute(uri: "/api/alerts", method: .post, headers: [.cookie: vera.cookie, .contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"q":"hoaks"}"#)) { #expect($0.status == .forbidden) }
            // Bad input: what was wrong, in the visitor's language.
            let empty = try await Self.save(client, vera, ["q": "  "])
            #expect(empty.status == 400 && "\(empty.body["error"] ?? "")".contains("kata"), "\(empty.body)")
            let badDay = try await Self.save(client, vera, ["q": "hoaks", "since": "kemarin"])
            #expect(badDay.status == 400 && "\(badDay.body["error"] ?? "")".contains("kemarin"), "\(badDay.body)")
            let badQuery = try await Self.save(client, vera, ["q": "-hoaks"])
            #expect(badQuery.status == 400, "\(badQuery.body)")
            // A viewer saves a two-word search; what the archive already holds is not an alert.
            let saved = try await Self.save(client, vera, ["q": "hoaks pemilu", "agenda": ""])
            #expect(saved.status == 201, "\(saved.body)")
            let id = try #require((saved.body["search"] as? [String: Any])?["id"] as? String)
            let feed = try #require(saved.body["feed"] as? String)
            #expect(try await server.checkAlerts() == 0)
            #expect(try await Self.alerts(client, vera).isEmpty)
            // Stored in the archive per user, readable by its owner only.
            let book = try #require(AlertBooks(archive: fixture.archive).path(of: "vera"))
            #expect(((try FileManager.default.attributesOfItem(atPath: book))[.posixPermissions] as? Int) == 0o600)
            #expect(!(try String(contentsOfFile: book, encoding: .utf8)).contains(String(feed.dropFirst(13).dropLast(5))), "the token is stored hashed")
            // Others' searches and alerts are invisible to them, and not theirs to delete.
            #expect((try await client.json("/api/alerts", headers: tono.headers).body["searches"] as? [Any])?.isEmpty == true)
            try await client.execute(uri: "/api/alerts/\(id)", method: .delete, headers: tono.writeHeaders) { #expect($0.status == .notFound) }

            // A new session whose captions say the words: one alert, at the moment, with its snippet.
            let new = try Self.addSession(fixture.archive, title: "Sosialisasi daerah", lines: ["Selamat siang.", "Jangan percaya hoaks seputar pemilu.", "Terima kasih."])
            #expect(try await server.checkAlerts() == 1)
            let raised = try await Self.alerts(client, vera)
            #expect(raised.count == 1 && raised.first?["session"] as? String == new && raised.first?["seconds"] as? Double == 10, "\(raised)")
            #expect("\(raised.first?["snippet"] ?? "")".contains("«hoaks»"), "\(raised)")
            #expect(try await Self.alerts(client, tono).isEmpty)
            // Checked again, and after the session's captions are rewritten and reindexed: no duplicate.
            #expect(try await server.checkAlerts() == 0)
            try Self.writeCaptions(fixture.archive, new, ["Selamat siang.", "Jangan percaya hoaks seputar pemilu!", "Terima kasih."])
            #expect(try await server.checkAlerts() == 0)
            #expect(try await Self.alerts(client, vera).count == 1)

            // The feed: valid Atom with the alert, linking to the moment; a wrong token is 404.
            let xml = try await client.execute(uri: feed, method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("application/atom+xml") == true)
                return Data(buffer: response.body)
            }
            let document = try XMLDocument(data: xml)
            let root = try #require(document.rootElement())
            #expect(root.name == "feed" && root.uri == "http://www.w3.org/2005/Atom")
            for name in ["id", "title", "updated", "entry", "link"] { #expect(!root.elements(forName: name).isEmpty, "no <\(name)>") }
            let entry = try #require(root.elements(forName: "entry").first)
            for name in ["id", "title", "updated"] { #expect(entry.elements(forName: name).count == 1, "entry without <\(name)>") }
            let link = entry.elements(forName: "link").first?.xmlString ?? ""
            #expect(link.contains("rel=\"alternate\"") && link.contains("/sessions/\(new)?t=10\""), "\(link)")
            try await client.execute(uri: "/alerts/feed/0123456789abcdef.atom", method: .get) { #expect($0.status == .notFound) }
            // A new feed link: the old one is gone.
            let renewed = try await client.execute(uri: "/api/alerts/\(id)/feed", method: .post, headers: vera.writeHeaders) { response in
                (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["feed"] as? String
            }
            try await client.execute(uri: feed, method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: try #require(renewed), method: .get) { #expect($0.status == .ok) }
            // Deleted: its alerts go with it.
            try await client.execute(uri: "/api/alerts/\(id)", method: .delete, headers: vera.writeHeaders) { #expect($0.status == .ok) }
            #expect(try await Self.alerts(client, vera).isEmpty)
        }
    }

    @Test("an open page of the user is told of a new alert through live updates; a feed token never reaches the log")
    func notification() async throws {
        let fixture = try ServerFixture()
        let server = fixture.server()
        try await server.application().test(.live) { client in
            let vera = try await client.signIn("vera")
            #expect(try await Self.save(client, vera, ["q": "logistik pemilu"]).status == 201)
            let stream = Task {
                try await client.execute(uri: "/api/alerts/updates?limit=1", method: .get, headers: vera.headers) { String(buffer: $0.body) }
            }
            try await Task.sleep(for: .milliseconds(1500))
            let opened = Int(Date().timeIntervalSince1970 * 1000)
            _ = try Self.addSession(fixture.archive, title: "Rapat logistik", lines: ["Distribusi logistik pemilu sudah selesai."])
            #expect(try await server.checkAlerts() == 1)
            let events = try await stream.value
            #expect(events.contains("event: alert") && events.contains("«logistik»"), "\(events)")
            // A page whose stream connects after the alert (refused a moment, reconnected) still gets what was raised since it opened.
            let late = try await client.execute(uri: "/api/alerts/updates?limit=1&since=\(opened)", method: .get, headers: vera.headers) { String(buffer: $0.body) }
            #expect(late.contains("event: alert") && late.contains("«logistik»"), "\(late)")
        }
        let lines = CapturedLines()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }.oneLinePerEntry()
        logger.error("GET /alerts/feed/9f86d081884c7d659a2feaa0c55ad015.atom: something failed")
        #expect(lines.all.withLock { $0 } == ["GET /alerts/feed/[token].atom: something failed"])
    }

    @Test("four pages of one officer at once, one stream each (three session pages' live updates carry alerts, a search page's is of alerts alone): all four are told; a fifth stream waits (429)")
    func fourPages() async throws {
        let fixture = try ServerFixture()
        let server = fixture.server()
        try await server.application().test(.router) { client in
            let vera = try await client.signIn("vera"), ada = try await client.signIn("ada")
            #expect(try await Self.save(client, vera, ["q": "gudang logistik"]).status == 201)
            let opened = Int(Date().timeIntervalSince1970 * 1000)
            let earlier = try Self.addSession(fixture.archive, title: "Rapat persiapan", lines: ["Pembukaan rapat."])
            let new = try Self.addSession(fixture.archive, title: "Rapat gudang", lines: ["Gudang logistik di Bekasi sudah penuh."])
            // Each ends after the alert: a session (session, tags, alert), alerts alone (alert). (The archive's list
            // stream, /api/updates, also resends the list when the change marker moves, so its count of events before
            // the alert varies: Scripts/browser-alerts checks the archive page in Chromium.)
            let pages = ["/api/sessions/\(earlier)/updates?limit=3&alerts=\(opened)", "/api/sessions/\(earlier)/updates?limit=3&alerts=\(opened)",
                         "/api/sessions/\(new)/updates?limit=3&alerts=\(opened)", "/api/alerts/updates?limit=1&since=\(opened)"]
            let streams = pages.map { uri in
                Task { try await client.execute(uri: uri, method: .get, headers: vera.headers) { String(buffer: $0.body) } }
            }
            #expect(try await LiveUpdateSignInTests.eventually { server.openStreams.count("user:vera") == 4 })
            try await client.execute(uri: "/api/updates", method: .get, headers: vera.headers) { #expect($0.status == .tooManyRequests) }
            // Alerts are an account's: another user's page (session, tags, then the captions written below) carries none of vera's.
            let adas = Task { try await client.execute(uri: "/api/sessions/\(earlier)/updates?limit=3&alerts=\(opened)", method: .get, headers: ada.headers) { String(buffer: $0.body) } }
            #expect(try await LiveUpdateSignInTests.eventually { server.openStreams.count("user:ada") == 1 })
            #expect(try await server.checkAlerts() == 1)
            for (uri, stream) in zip(pages, streams) {
                let events = try await stream.value
                #expect(events.contains("event: alert") && events.contains("«Gudang» «logistik»"), "\(uri): \(events)")
            }
            try Self.writeCaptions(fixture.archive, earlier, ["Penutupan rapat."], name: Archive.machineTranscriptName)
            let seen = try await adas.value
            #expect(seen.contains("event: captions") && !seen.contains("event: alert"), "\(seen)")
        }
    }
}
