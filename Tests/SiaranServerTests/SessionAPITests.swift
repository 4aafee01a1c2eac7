import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: sessions, search and tags")
struct SessionAPITests {
    @Test("the session list has every session, newest first, with state, speakers and filters; keys never show")
    func sessionList() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            let (status, body) = try await client.json("/api/sessions", headers: vera.headers)
            #expect(status == 200)
            try await client.execute(uri: "/api/sessions", method: .get, headers: vera.headers) { response in
                #expect(response.headers[.cacheControl] == "no-store", "API answers are never cached (only /media/ files are)")
            }
            let sessions = try #require(body["sessions"] as? [[String: Any]])
            #expect(sessions.map { $0["id"] as? String } == [fixture.live, fixture.finished])
            #expect(sessions[0]["live"] as? Bool == true && sessions[0]["state"] as? String == "recording")
            #expect(sessions[1]["state"] as? String == "complete" && sessions[1]["duration"] as? Double == 120)
            #expect(sessions[1]["speakers"] as? [String] == ["Ahmad Fauzi", "Siti Rahma"])
            #expect(sessions[1]["thumbnail"] as? String == "/api/sessions/\(fixture.finished)/thumbnail")
            let filtered = try await client.json("/api/sessions?speaker=siti&state=complete", headers: vera.headers)
            #expect((filtered.body["sessions"] as? [Any])?.count == 1)
            #expect((try await client.json("/api/sessions?state=live", headers: vera.headers).body["sessions"] as? [Any])?.count == 1)
            #expect((try await client.json("/api/sessions?since=2999-01-01", headers: vera.headers).body["sessions"] as? [Any])?.count == 0)
            let bad = try await client.json("/api/sessions?since=yesterday", headers: vera.headers)
            #expect(bad.status == 400 && (bad.body["error"] as? String)?.contains("TTTT-BB-HH") == true)
            for id in [fixture.finished, fixture.live] {
                try await client.execute(uri: "/api/sessions/\(id)", method: .get, headers: vera.headers) { response in
                    let text = String(buffer: response.body)
                    #expect(response.status == .ok)
                    for secret in ["SECRETKEY123", "TOKEN456", "HIDDENPASS"] { #expect(!text.contains(secret)) }
                }
            }
        }
    }

    @Test("a session's detail has its timeline, agenda, gaps, captions and, while live, the recorder's status")
    func detail() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            let (_, d) = try await client.json("/api/sessions/\(fixture.finished)", headers: vera.headers)
            let timeline = try #require(d["timeline"] as? [String: Any])
            #expect((timeline["speakerTurns"] as? [[String: Any]])?.map { $0["value"] as? String } == ["Ahmad Fauzi", "Siti Rahma"])
            #expect((d["gaps"] as? [[String: Any]])?.first?["at"] as? Double == 60)
            #expect((d["captions"] as? [[String: Any]])?.first?["url"] as? String == "/media/\(fixture.finished)/captions/notulen.vtt")
            #expect(d["recording"] == nil)
            let (_, live) = try await client.json("/api/sessions/\(fixture.live)", headers: vera.headers)
            let recording = try #require(live["recording"] as? [String: Any])
            #expect((recording["elapsed"] as? Double ?? 0) >= 59)
            #expect(abs((recording["bitrate"] as? Double ?? 0) - 1_000_000) < 1)
            #expect((recording["diskFreeBytes"] as? Double ?? 0) > 0)
            let transcript = try await client.json("/api/sessions/\(fixture.finished)/transcript", headers: vera.headers)
            let lines = try #require(transcript.body["lines"] as? [[String: Any]])
            #expect(lines.count == 3 && lines[1]["start"] as? Double == 40)
            #expect(try await client.json("/api/sessions/nope", headers: vera.headers).status == 404)
            #expect([400, 404].contains(try await client.json("/api/sessions/%2e%2e", headers: vera.headers).status))
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/report?format=html", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && response.headers[.contentDisposition]?.contains(".html") == true)
                #expect(String(buffer: response.body).contains("Rapat pleno"))
            }
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/report", method: .get, headers: vera.headers) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/markdown") == true)
            }
            #expect(try await client.json("/api/sessions/\(fixture.finished)/report?format=pdf", headers: vera.headers).status == 400)
        }
    }

    @Test("search answers like `siaran search`: hits at their moment with speaker and agenda item, corrections, errors")
    func search() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            let (status, result) = try await client.json("/api/search?q=hoaks", headers: vera.headers)
            #expect(status == 200)
            let hit = try #require((result["hits"] as? [[String: Any]])?.first)
            #expect(hit["session"] as? String == fixture.finished && hit["seconds"] as? Double == 40)
            #expect(hit["speaker"] as? String == "Siti Rahma" && hit["agenda"] as? String == "Pembukaan")
            #expect((hit["snippet"] as? String)?.contains("«hoaks»") == true)
            let typo = try await client.json("/api/search?q=rekapitulsi", headers: vera.headers)
            #expect((typo.body["corrections"] as? [[String: Any]])?.first?["to"] as? String == "rekapitulasi")
            let speaker = try await client.json("/api/search?q=pemilih&speaker=ahmad", headers: vera.headers)
            #expect((speaker.body["hits"] as? [Any])?.isEmpty == true)
            #expect(try await client.json("/api/search", headers: vera.headers).status == 400)
            let onlyExcluded = try await client.json("/api/search?q=-hoaks", headers: vera.headers)
            #expect(onlyExcluded.status == 400 && (onlyExcluded.body["error"] as? String)?.isEmpty == false)
            #expect(try await client.json("/api/search?q=hoaks&limit=0", headers: vera.headers).status == 400)
            #expect(try await client.json("/api/search?q=hoaks&speaker=Nobody%20Here", headers: vera.headers).status == 422)
        }
    }

    @Test("query strings are read as an HTML form sends them: + is a space, in every query form and filter")
    func formEncodedQueries() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            func hits(_ query: String) async throws -> [[String: Any]] {
                let (status, body) = try await client.json("/api/search?" + query, headers: vera.headers)
                #expect(status == 200, "\(query): \(body)")
                return body["hits"] as? [[String: Any]] ?? []
            }
            // Two words, as the search form submits them (URLSearchParams writes spaces as +).
            let two = try await hits("q=menyebarkan+hoaks")
            #expect(two.first?["seconds"] as? Double == 40)
            let (_, echoed) = try await client.json("/api/search?q=menyebarkan+hoaks", headers: vera.headers)
            #expect(echoed["query"] as? String == "menyebarkan hoaks")
            #expect(try await hits("q=%22pemilih+tetap%22").first?["seconds"] as? Double == 90)
            #expect(try await hits("q=%22tetap+pemilih%22").isEmpty)
            let either = try await hits("q=hoaks+OR+ditetapkan").compactMap { $0["seconds"] as? Double }
            #expect(Set(either).isSuperset(of: [40, 90]))
            #expect(try await hits("q=pemilih+-hoaks").compactMap { $0["seconds"] as? Double } == [90])
            #expect(try await hits("q=rekap*+pleno").isEmpty == false)
            #expect(try await hits("q=hoaks&speaker=siti+rahma").first?["speaker"] as? String == "Siti Rahma")
            #expect(try await hits("q=pemilih&agenda=pembukaan+").isEmpty == false)
            // The archive page's title filter: each word anywhere in the title.
            let (_, listed) = try await client.json("/api/sessions?q=pleno+rapat", headers: vera.headers)
            #expect((listed["sessions"] as? [[String: Any]])?.map { $0["id"] as? String } == [fixture.finished])
            let (_, speaker) = try await client.json("/api/sessions?speaker=ahmad+fauzi", headers: vera.headers)
            #expect((speaker["sessions"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("a tag from the console lands at the moment of the press, is written like `siaran tag`, and can be corrected")
    func tagging() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let pressed = (Date().timeIntervalSince1970 - 3) * 1000
            let body = ByteBuffer(string: #"{"kind":"speaker","value":"budi","pressedAt":\#(pressed)}"#)
            let id: String = try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: tono.writeHeaders, body: body) { response in
                #expect(response.status == .created)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let event = try #require(json["event"] as? [String: Any])
                #expect(event["value"] as? String == "Budi Santoso")
                // The session moment that was live 3 s ago (the press), not the moment the request arrived.
                let manifest = try fixture.archive.loadManifest(fixture.live)
                let expected = try #require(manifest.mediaTime(at: Date(timeIntervalSince1970: pressed / 1000)))
                let arrived = try #require(manifest.mediaTime(at: Date()))
                #expect(abs((event["media"] as? Double ?? 0) - expected) < 0.2)
                #expect(arrived - expected > 2.5)
                return try #require(event["id"] as? String)
            }
            let events = EventLog(path: fixture.archive.eventsPath(of: fixture.live)).read().events
            #expect(events.last?.id == id && events.last?.author == "web:tono")
            let agenda = ByteBuffer(string: #"{"kind":"agenda","value":"2"}"#)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: tono.writeHeaders, body: agenda) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body).contains("Tanya jawab"))
            }
            for (body, status) in [(#"{"kind":"agenda","value":"9"}"#, 422), (#"{"kind":"delete","value":"x"}"#, 400),
                                   (#"{"kind":"note","value":"x","pressedAt":1000}"#, 400), (#"{"kind":"note"}"#, 400), ("not json", 400)] {
                try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: tono.writeHeaders,
                                         body: ByteBuffer(string: body)) { #expect($0.status.code == status, "\(body)") }
            }
            let move = ByteBuffer(string: #"{"action":"move","at":30}"#)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags/\(id)", method: .post, headers: tono.writeHeaders, body: move) {
                #expect($0.status == .created)
            }
            let tags = try await client.json("/api/sessions/\(fixture.live)/tags", headers: tono.headers)
            let budi = (tags.body["tags"] as? [[String: Any]])?.first { $0["value"] as? String == "Budi Santoso" }
            #expect(budi?["at"] as? Double == 30)
            // Who tagged it, and when, as the event log keeps it.
            #expect(budi?["author"] as? String == "web:tono" && budi?["taggedAt"] as? String != nil, "\(String(describing: budi))")
            let undo = ByteBuffer(string: #"{"action":"delete"}"#)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags/\(id)", method: .post, headers: tono.writeHeaders, body: undo) {
                #expect($0.status == .created)
            }
            let after = try await client.json("/api/sessions/\(fixture.live)/tags", headers: tono.headers)
            #expect((after.body["tags"] as? [[String: Any]])?.contains { $0["value"] as? String == "Budi Santoso" } == false)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags/nosuchtag", method: .post, headers: tono.writeHeaders, body: undo) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("live updates stream the session and its tags as Server-Sent Events")
    func liveUpdates() async throws {
        let fixture = try ServerFixture()
        try await fixture.test(live: true) { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/api/sessions/\(fixture.live)/updates?limit=2", method: .get, headers: vera.headers) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let text = String(buffer: response.body)
                #expect(text.contains("event: session\ndata: {"))
                #expect(text.contains("event: tags\ndata: {"))
            }
            try await client.execute(uri: "/api/updates?limit=1", method: .get, headers: vera.headers) { response in
                #expect(String(buffer: response.body).contains("event: sessions\ndata: {\"sessions\":["))
            }
        }
    }
}
