import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SiaranAccounts
import Testing

/// The web companion speaks Indonesian unless a user chose English (or their browser asks for it),
/// from one message catalogue that holds every text the pages, their scripts and the API show.
@Suite("Web companion: language and message catalogue")
struct LanguageTests {
    static let web: URL = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Sources/SiaranServer")
    }()

    static func catalogue(_ language: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(contentsOf: web.appendingPathComponent("Web/messages/\(language).json")))
    }

    static func files(_ folder: String, _ suffix: String) throws -> [(String, String)] {
        let url = web.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(suffix) }.sorted()
            .map { ($0, try String(contentsOf: url.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } }
    }

    @Test("every key the templates, scripts and routes use is in both catalogues, and both hold the same keys")
    func catalogueIsComplete() throws {
        let indonesian = try Self.catalogue("id"), english = try Self.catalogue("en")
        #expect(Set(indonesian.keys) == Set(english.keys), "keys only in one: \(Set(indonesian.keys).symmetricDifference(english.keys).sorted())")
        var used: [(String, String)] = []
        for (file, text) in try Self.files("Web/templates", ".mustache") {
            used += Self.matches(#"\{\{[#^/]?t\.([A-Za-z.]+)\}\}"#, in: text).map { (file, $0) }
        }
        for (file, text) in try Self.files("Web/scripts", ".js") {
            used += Self.matches(#"S\.t\("([A-Za-z.]+[A-Za-z])"\)"#, in: text).map { (file, $0) }
            used += Self.matches(#"S\.t\("([A-Za-z.]+[A-Za-z])", "#, in: text).map { (file, $0) }
            used += Self.matches(#"S\.count\("([A-Za-z.]+)""#, in: text).flatMap { [(file, $0 + ".one"), (file, $0 + ".other")] }
            // Texts written into a script instead of the catalogue (a capitalised word in quotes).
            let literal = Self.matches(#"text: "([A-Z][a-z]+[^"]*)""#, in: text)
            #expect(literal.isEmpty, "\(file) writes texts outside the catalogue: \(literal)")
        }
        for (file, text) in try Self.files("", ".swift") {
            used += Self.matches(#"key: "([A-Za-z.]+)""#, in: text).map { (file, $0) }
        }
        #expect(used.count > 150, "found only \(used.count) uses")
        for (file, key) in used {
            #expect(indonesian[key] != nil, "\(file) uses \(key), which id.json lacks")
        }
        // No key may be both a text and the start of other keys (the templates read them nested).
        for key in indonesian.keys {
            #expect(!indonesian.keys.contains { $0.hasPrefix(key + ".") }, "\(key) is a text and a group")
        }
    }

    @Test("every page script parses (node --check), so a syntax slip fails the tests, not the officer's page")
    func scriptsParse() throws {
        let node = ["/usr/bin/node", "/usr/bin/nodejs", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let path = try #require(node, "Node.js checks the pages' scripts; Scripts/setup installs Debian's nodejs")
        let scripts = try Self.files("Web/scripts", ".js")
        #expect(scripts.count >= 6)
        for (file, _) in scripts {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["--check", Self.web.appendingPathComponent("Web/scripts/" + file).path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(file): \(message)")
        }
    }

    @Test("pages are Indonesian by default, English when the browser asks, and a user's choice is kept with their account")
    func languageChoice() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            func page(_ headers: HTTPFields) async throws -> String {
                try await client.execute(uri: "/search", method: .get, headers: headers) { String(buffer: $0.body) }
            }
            let plain = try await page(vera.headers)
            #expect(plain.contains("<html lang=\"id\">") && plain.contains(">Arsip</a>") && plain.contains("messages-id."))
            var english = vera.headers
            english[.acceptLanguage] = "en-US,en;q=0.9"
            #expect(try await page(english).contains(">Archive</a>"))
            english[.acceptLanguage] = "en;q=0.8,id;q=0.9"
            #expect(try await page(english).contains(">Arsip</a>"), "id weighs more")
            // The report in the visitor's language.
            let report = try await client.execute(uri: "/api/sessions/\(fixture.finished)/report?format=md", method: .get, headers: vera.headers) { String(buffer: $0.body) }
            #expect(report.contains("Yang berbicara"), "\(report.prefix(400))")
            var englishReport = vera.headers
            englishReport[.acceptLanguage] = "en"
            #expect(try await client.execute(uri: "/api/sessions/\(fixture.finished)/report?format=md", method: .get, headers: englishReport) { String(buffer: $0.body) }.contains("Who spoke"))
            // An API error in the visitor's language.
            let (_, error) = try await client.json("/api/search", headers: vera.headers)
            #expect(error["error"] as? String == "Tulis kata yang dicari." && error["code"] as? String == "error.noQuery")
            // Vera chooses English: every page follows, whatever the browser says.
            var write = vera.writeHeaders
            write[.contentType] = "application/json"
            try await client.execute(uri: "/api/me/language", method: .put, headers: write, body: ByteBuffer(string: #"{"language":"en"}"#)) { response in
                #expect(response.status == .ok)
            }
            var indonesianBrowser = vera.headers
            indonesianBrowser[.acceptLanguage] = "id-ID,id"
            #expect(try await page(indonesianBrowser).contains(">Archive</a>"))
            #expect(try UserFile(archive: fixture.archive).account(named: "vera")?.language == "en")
            // Without the page's token the choice is refused (it writes the users file).
            try await client.execute(uri: "/api/me/language", method: .put, headers: [.cookie: vera.cookie, .contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"language":"id"}"#)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/me/language", method: .put, headers: write, body: ByteBuffer(string: #"{"language":"fr"}"#)) { response in
                #expect(response.status == .badRequest)
            }
            // A failed sign-in through the page's form says why in Indonesian.
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "name=vera&password=salah-sekali&next=%2F")) { response in
                let location = response.headers[.location] ?? ""
                try await client.execute(uri: location, method: .get) { page in
                    #expect(String(buffer: page.body).contains("Nama atau kata sandi salah."), "\(location)")
                }
            }
            // Before signing in, the choice is this browser's cookie.
            try await client.execute(uri: "/language", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "language=en&next=%2Flogin")) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
                #expect(response.headers[.setCookie]?.contains("siaran_lang=en") == true)
            }
            try await client.execute(uri: "/login", method: .get, headers: [.cookie: "siaran_lang=en"]) { response in
                #expect(String(buffer: response.body).contains("<h1>Sign in</h1>"))
            }
        }
    }

    @Test("the archive's errors reach the browser in its language, with their status, and without command-line advice")
    func domainErrors() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            func post(_ uri: String, _ body: String) async throws -> (Int, [String: Any]) {
                try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders, body: ByteBuffer(string: body)) { response in
                    (response.status.code, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
                }
            }
            // Tagging "now" a session that is no longer recorded: refused as not recording, in Indonesian.
            let (status, body) = try await post("/api/sessions/\(fixture.finished)/tags", #"{"kind":"speaker","value":"Ahmad Fauzi","pressedAt":\#(Date().timeIntervalSince1970 * 1000)}"#)
            #expect([409, 422].contains(status), "\(body)")
            let text = body["error"] as? String ?? ""
            #expect(!text.isEmpty && !text.contains("`") && !text.contains("siaran "), "\(text)")
            let (missing, gone) = try await post("/api/sessions/\(fixture.finished)/tags/nope", #"{"action":"delete"}"#)
            #expect(missing == 404 && gone["code"] as? String == "error.tag.noSuchTag" && (gone["error"] as? String)?.contains("Tidak ada tanda nope") == true, "\(gone)")
        }
    }

    @Test("an agenda dated another day than the recording is flagged with both days, and a tagger chooses which stands")
    func agendaDate() async throws {
        let fixture = try ServerFixture()
        var agenda = try #require(fixture.archive.loadAgenda(fixture.finished))
        agenda.date = "2021-09-15"
        try fixture.archive.saveAgenda(agenda, of: fixture.finished)
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono")
            let (_, detail) = try await client.json("/api/sessions/\(fixture.finished)", headers: vera.headers)
            let check = try #require(detail["agendaDate"] as? [String: Any])
            #expect(check["differs"] as? Bool == true && check["agendaDay"] as? String == "2021-09-15" && check["stands"] as? String == "recording", "\(check)")
            let body = ByteBuffer(string: #"{"choice":"agenda"}"#)
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/agenda-date", method: .put, headers: vera.writeHeaders, body: body) { response in
                #expect(response.status == .forbidden, "a viewer does not choose")
            }
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/agenda-date", method: .put, headers: tono.writeHeaders, body: body) { response in
                #expect(response.status == .ok)
            }
            let (_, after) = try await client.json("/api/sessions/\(fixture.finished)", headers: vera.headers)
            let chosen = try #require(after["agendaDate"] as? [String: Any])
            #expect(chosen["stands"] as? String == "agenda" && chosen["chosen"] as? String == "agenda", "\(chosen)")
            #expect(fixture.archive.loadAgenda(fixture.finished)?.dateChoice == .agenda)
        }
    }

    @Test("the transcript downloads as TXT, SRT and WebVTT with who spoke each line; an unknown format is refused")
    func transcriptExports() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            for (format, type, line) in [("txt", "text/plain", "[00:00:40] Siti Rahma: Kami mengimbau"),
                                         ("srt", "application/x-subrip", "00:00:40,000 --> 00:00:45,000\nSiti Rahma: Kami mengimbau"),
                                         ("vtt", "text/vtt", "<v Siti Rahma>Kami mengimbau")] {
                try await client.execute(uri: "/api/sessions/\(fixture.finished)/transcript?format=\(format)", method: .get, headers: vera.headers) { response in
                    #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix(type) == true, "\(format)")
                    #expect(String(buffer: response.body).contains(line), "\(format): \(String(buffer: response.body))")
                    #expect(response.headers[.contentDisposition]?.contains("transkrip.\(format)") == true)
                }
            }
            #expect(try await client.json("/api/sessions/\(fixture.finished)/transcript?format=docx", headers: vera.headers).status == 400)
        }
    }

    @Test("pages carry the office's time zone for the scripts' dates, and the sign-in page says how to make the first account")
    func zoneAndFirstAccount() async throws {
        let fixture = try ServerFixture()
        try await fixture.test(zone: TimeZone(identifier: "Asia/Makassar")!) { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/", method: .get, headers: vera.headers) { response in
                #expect(String(buffer: response.body).contains("data-zone=\"Asia/Makassar\""))
            }
            // A day filter is that day in the office's zone (UTC+8 here), from its first to its last minute.
            let started = try fixture.archive.loadManifest(fixture.finished).startedAt ?? Date()
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Makassar")!
            let c = calendar.dateComponents([.year, .month, .day], from: started)
            let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
            let (_, same) = try await client.json("/api/sessions?since=\(day)&until=\(day)", headers: vera.headers)
            #expect((same["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.contains(fixture.finished) == true, "\(day)")
            let next = calendar.date(byAdding: .day, value: 1, to: started)!
            let n = calendar.dateComponents([.year, .month, .day], from: next)
            let (_, later) = try await client.json(String(format: "/api/sessions?since=%04d-%02d-%02d", n.year!, n.month!, n.day!), headers: vera.headers)
            #expect((later["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.contains(fixture.finished) == false)
            #expect(try await client.json("/api/sessions?since=2021-02-30", headers: vera.headers).status == 400)
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(!String(buffer: response.body).contains("siaran user add"), "users exist")
            }
            try FileManager.default.removeItem(atPath: fixture.archive.root + "/.users.json")
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(String(buffer: response.body).contains("siaran user add NAMA --role admin"))
            }
        }
    }
}
