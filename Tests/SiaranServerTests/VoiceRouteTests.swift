import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

/// Speaker turns suggested from the voices (issue #31), answered from the session page and the live
/// console: `POST /api/sessions/{id}/voices/{suggestion}` `{action: confirm|dismiss, value?}`.
@Suite("Web companion: voice suggestions confirmed or dismissed")
struct VoiceRouteTests {
    static func body(_ value: [String: Any]) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value)) }

    /// Appends a `voice` event as the voices worker writes it; returns its id.
    @discardableResult
    static func suggest(_ archive: Archive, _ id: String, from start: Double, to end: Double, person: String?, voice: Int,
                        run: String = "r1") throws -> String {
        let event = SessionEvent(kind: .voice, media: start, value: person, author: "siaran-voices", until: end, voice: voice,
                                 similarity: person == nil ? nil : 0.91, basis: person == nil ? nil : "library", run: run)
        try EventLog(path: archive.eventsPath(of: id)).append(event)
        return event.id
    }

    static func open(_ fixture: ServerFixture, _ id: String) throws -> [String] {
        try SessionDetails(archive: fixture.archive, id: id).timeline.suggestedTurns.map(\.id)
    }

    @Test("viewers and anonymous visitors are refused, a write without the token is refused; a tagger confirms with one click, an admin names another person (several words) or an unnamed voice; each is a speaker tag at the suggestion's start naming it, with its author")
    func confirm() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished, archive = fixture.archive
        let first = try Self.suggest(archive, id, from: 50, to: 58, person: "Siti Rahma", voice: 2)
        let second = try Self.suggest(archive, id, from: 70, to: 80, person: "Ahmad Fauzi", voice: 1)
        let unnamed = try Self.suggest(archive, id, from: 96, to: 110, person: nil, voice: 3)
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            // Everyone who may view sees the open suggestions in the session's timeline.
            let detail = try await client.json("/api/sessions/\(id)", headers: vera.headers).body
            let shown = ((detail["timeline"] as? [String: Any])?["suggestedTurns"] as? [[String: Any]]) ?? []
            #expect(shown.map { $0["id"] as? String } == [first, second, unnamed] && shown.first?["value"] as? String == "Siti Rahma")

            let yes = try Self.body(["action": "confirm"])
            let uri = "/api/sessions/\(id)/voices/\(first)"
            try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: yes) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: uri, method: .post, headers: vera.writeHeaders, body: yes) { #expect($0.status == .forbidden) }
            try await client.execute(uri: uri, method: .post, headers: [.cookie: tono.cookie, .contentType: "application/json"], body: yes) {
                #expect($0.status == .forbidden, "no CSRF token")
            }
            #expect(try Self.open(fixture, id).count == 3, "nothing refused was written")

            // "Ya": one click, the suggested person.
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders, body: yes) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let turns = ((answer?["session"] as? [String: Any])?["timeline"] as? [String: Any])?["suggestedTurns"] as? [[String: Any]]
                #expect(turns?.map { $0["id"] as? String } == [second, unnamed], "the answer is the session without the confirmed suggestion")
            }
            // "Orang lain": another name typed, several words, not on the roster.
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(second)", method: .post, headers: ada.writeHeaders,
                                     body: try Self.body(["action": "confirm", "value": "  Rina Kartika Sari "])) { #expect($0.status == .created) }
            // An unnamed voice needs a name; a name typed in lower case takes the roster's spelling.
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(unnamed)", method: .post, headers: tono.writeHeaders, body: yes) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("belum bernama"))
            }
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(unnamed)", method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "confirm", "value": "siti"])) { #expect($0.status == .created) }
            // Answered once: a second answer finds it closed and says what to do.
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders, body: yes) { response in
                #expect(response.status == .notFound && String(buffer: response.body).contains("Muat ulang"))
            }
        }
        let events = EventLog(path: archive.eventsPath(of: id)).read().events.filter { $0.target != nil }
        #expect(events.map(\.kind) == [.speaker, .speaker, .speaker])
        #expect(events.map(\.target) == [first, second, unnamed])
        #expect(events.map(\.value) == ["Siti Rahma", "Rina Kartika Sari", "Siti Rahma"])
        #expect(events.map(\.media) == [50, 70, 96] && events.map(\.onRoster) == [true, false, true])
        #expect(events.map(\.author) == ["web:tono", "web:ada", "web:tono"])
        #expect(events.allSatisfy { $0.wallClock != nil })
        let timeline = try SessionDetails(archive: archive, id: id).timeline
        #expect(timeline.suggestedTurns.isEmpty)
        #expect(timeline.speaker(at: 75)?.value == "Rina Kartika Sari" && timeline.speaker(at: 75)?.isSuggested == false)
    }

    @Test("dismissing writes a delete of the suggestion; unknown, closed and older runs' suggestions, a tag's id, a bad action and a bad session are refused with clear messages")
    func dismissAndRefusals() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished, archive = fixture.archive
        let old = try Self.suggest(archive, id, from: 20, to: 30, person: "Ahmad Fauzi", voice: 1, run: "r1")
        let current = try Self.suggest(archive, id, from: 60, to: 70, person: "Ahmad Fauzi", voice: 1, run: "r2")
        let tag = try #require(EventLog(path: archive.eventsPath(of: id)).read().events.first { $0.kind == .speaker }?.id)
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let dismiss = try Self.body(["action": "dismiss"])
            for (target, what) in [(old, "an older run's"), (tag, "an officer's tag"), ("t000nope", "unknown"), ("..%2F..%2Fetc", "a path")] {
                try await client.execute(uri: "/api/sessions/\(id)/voices/\(target)", method: .post, headers: tono.writeHeaders, body: dismiss) { response in
                    #expect(response.status == .notFound, "\(what)")
                    #expect(String(buffer: response.body).contains("error.voice.noSuggestion"), "\(what): \(String(buffer: response.body))")
                }
            }
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(current)", method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "forget"])) { response in
                #expect(response.status == .badRequest && String(buffer: response.body).contains("confirm atau dismiss"))
            }
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(current)", method: .post, headers: tono.writeHeaders,
                                     body: ByteBuffer(string: "{")) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/api/sessions/no-such-session/voices/\(current)", method: .post, headers: tono.writeHeaders,
                                     body: dismiss) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(current)", method: .post, headers: tono.writeHeaders, body: dismiss) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(current)", method: .post, headers: tono.writeHeaders, body: dismiss) {
                #expect($0.status == .notFound, "dismissed once")
            }
        }
        let deletes = EventLog(path: archive.eventsPath(of: id)).read().events.filter { $0.kind == .delete }
        #expect(deletes.map(\.target) == [current] && deletes.first?.author == "web:tono")
        #expect(try Self.open(fixture, id).isEmpty)
        // The officer's tags are untouched.
        #expect(try SessionDetails(archive: archive, id: id).timeline.speakerTurns.map(\.value) == ["Ahmad Fauzi", "Siti Rahma"])
    }

    @Test("a confirmed suggestion reaches the search as a tag does: the line spoken then is found under the person typed, as the officer's")
    func searchFollows() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        let suggestion = try Self.suggest(fixture.archive, id, from: 86, to: 98, person: "Ahmad Fauzi", voice: 1)
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let query = "/api/search?q=pemilih&speaker=rina+kartika"
            #expect(try await client.json(query, headers: tono.headers).status == 422, "nobody called Rina yet")
            try await client.execute(uri: "/api/sessions/\(id)/voices/\(suggestion)", method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "confirm", "value": "Rina Kartika Sari"])) { #expect($0.status == .created) }
            // Re-indexed before the answer, as after a transcript correction: the very next search finds it.
            let (status, result) = try await client.json(query, headers: tono.headers)
            let hit = (result["hits"] as? [[String: Any]])?.first
            #expect(status == 200 && hit?["seconds"] as? Double == 90 && hit?["speaker"] as? String == "Rina Kartika Sari", "\(result)")
        }
    }

    @Test("eight officers answering one suggestion at once write one answer; the others are told it is answered")
    func concurrentAnswers() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        let suggestion = try Self.suggest(fixture.archive, id, from: 50, to: 58, person: "Siti Rahma", voice: 2)
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let body = try Self.body(index.isMultiple(of: 2) ? ["action": "confirm"] : ["action": "dismiss"])
                        return try await client.execute(uri: "/api/sessions/\(id)/voices/\(suggestion)", method: .post,
                                                        headers: tono.writeHeaders, body: body) { $0.status }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .notFound }.count == 7, "\(statuses)")
            let answers = EventLog(path: fixture.archive.eventsPath(of: id)).read().events.filter { $0.target == suggestion }
            #expect(answers.count == 1, "one answer in the log: \(answers.map(\.kind))")
        }
    }

    @Test("an anonymous visitor of a public server sees the officer's tags but no voice suggestion, in the session and its transcript")
    func anonymousSeesNoSuggestions() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        let id = fixture.finished
        try Self.suggest(fixture.archive, id, from: 86, to: 98, person: "Gita Permata", voice: 1)
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let signedIn = try await client.json("/api/sessions/\(id)", headers: tono.headers).body
            #expect("\(signedIn)".contains("Gita Permata"), "the fixture's suggestion is shown to a signed-in officer")
            let anonymous = try await client.json("/api/sessions/\(id)")
            #expect(anonymous.status == 200 && !"\(anonymous.body)".contains("Gita Permata"))
            let uri = "/api/sessions/\(id)/transcript?format=vtt"
            let officers = try await client.execute(uri: uri, method: .get, headers: tono.headers) { String(buffer: $0.body) }
            #expect(officers.contains("<v Gita Permata?>"), "an officer's transcript marks the suggested speaker: \(officers.prefix(600))")
            let vtt = try await client.execute(uri: uri, method: .get) { String(buffer: $0.body) }
            #expect(vtt.contains("WEBVTT") && !vtt.contains("Gita Permata"))
        }
    }

    @Test("the live console's update stream brings a new suggestion within a second of the worker writing it")
    func liveUpdates() async throws {
        let fixture = try ServerFixture()
        let id = fixture.live
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            // The first look (session, tags), then the suggestion (session, tags).
            let listening = Task { () -> String in
                try await client.execute(uri: "/api/sessions/\(id)/updates?limit=3", method: .get, headers: tono.headers) { String(buffer: $0.body) }
            }
            try await Task.sleep(for: .milliseconds(1200))
            let suggestion = try Self.suggest(fixture.archive, id, from: 40, to: 52, person: "Dewi Lestari", voice: 2)
            let written = ContinuousClock.now
            let stream = try await listening.value
            #expect(ContinuousClock.now - written < .seconds(3))
            let sessions = stream.components(separatedBy: "\n\n").filter { $0.contains("event: session") }
            #expect(sessions.count == 2 && sessions.last?.contains(suggestion) == true && sessions.first?.contains(suggestion) == false,
                    "\(stream.prefix(1500))")
        }
    }
}
