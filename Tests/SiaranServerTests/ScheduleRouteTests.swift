import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranCore
import SiaranServer
import Testing

@Suite("Web companion: scheduled recordings")
struct ScheduleRouteTests {
    static func post(_ client: any TestClientProtocol, _ who: SignedIn, _ body: [String: Any]) async throws -> (Int, [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await client.execute(uri: "/api/schedule", method: .post, headers: who.writeHeaders, body: ByteBuffer(bytes: data)) { response in
            (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
        }
    }

    @Test("admins schedule from a form or an agenda file; times and files are checked; viewers only look; keys never show")
    func scheduling() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            let tomorrow = Date().addingTimeInterval(86400)
            let form: [String: Any] = ["url": "rtmp://example.org/live/STREAMKEY99", "title": "Konferensi pers",
                                       "start": ISO8601.format(tomorrow), "end": ISO8601.format(tomorrow.addingTimeInterval(3600))]
            #expect(try await Self.post(client, vera, form).0 == 403)
            #expect(try await Self.post(client, tono, form).0 == 403, "scheduling needs an admin")
            let (status, made) = try await Self.post(client, ada, form)
            #expect(status == 201 && made["state"] as? String == "scheduled" && made["preRoll"] as? Double == 300 && made["overrun"] as? Double == 1800)
            #expect((made["source"] as? String)?.contains("STREAMKEY99") == false)

            // From the agenda file: its date, start and end (in WITA), its title.
            let day = String(ISO8601.format(tomorrow).prefix(10))
            let agenda = "title: Sosialisasi\ndate: \(day)\nstart: \"09:00 WITA\"\nend: \"11:00 WITA\"\nspeakers:\n  - name: Ahmad\n"
            let (fromFile, briefing) = try await Self.post(client, ada, ["url": "srt://127.0.0.1:9000", "agenda": agenda, "preRoll": 600])
            #expect(fromFile == 201 && briefing["title"] as? String == "Sosialisasi" && briefing["hasAgenda"] as? Bool == true, "\(briefing)")
            #expect(briefing["start"] as? String == "\(day)T01:00:00.000Z" && briefing["end"] as? String == "\(day)T03:00:00.000Z")
            #expect(briefing["recordFrom"] as? String == "\(day)T00:50:00.000Z")

            // Mistakes, each with what to do.
            let cases: [([String: Any], Int, String)] = [
                (["url": ""], 400, "Tulis alamat siarannya"),
                (["url": "srt://x", "agenda": "title: x\n"], 400, "Isi jam mulai, atau pilih berkas agenda"),
                (["url": "srt://x", "start": "tomorrow"], 400, "ISO 8601"),
                (["url": "srt://x", "agenda": "title: x\nstart: 9am\n"], 422, "expected the start as HH:MM"),
                (["url": "srt://x", "start": ISO8601.format(tomorrow), "end": ISO8601.format(tomorrow.addingTimeInterval(-60))], 422, "must be after the start"),
                (["url": "srt://x", "start": "2020-01-01T09:00:00Z"], 422, "already over"),
                (["url": "--version", "start": ISO8601.format(tomorrow)], 400, "tidak boleh diawali “-”"),
                (["url": "file:///etc/passwd", "start": ISO8601.format(tomorrow)], 400, "harus siaran jaringan"),
                (["url": "/srv/archive/x.ts", "start": ISO8601.format(tomorrow)], 400, "harus siaran jaringan"),
                (["url": "rtmp://h/app playpath=KEY", "start": ISO8601.format(tomorrow)], 400, "tanpa spasi"),
                (["url": "srt://x", "agenda": "title: x\ndate: 2030-02-30\nstart: 09:00\n"], 400, "Isi jam mulai"),
                (["url": "srt://x", "start": ISO8601.format(tomorrow), "preRoll": 99999], 422, "pre-roll may be"),
            ]
            for (body, expected, words) in cases {
                let (code, answer) = try await Self.post(client, ada, body)
                #expect(code == expected && (answer["error"] as? String)?.contains(words) == true, "\(body): \(code) \(answer)")
            }

            // A recording due now, with no siaran-media beside the server, fails at once and says why.
            let (_, due) = try await Self.post(client, ada, ["url": "udp://127.0.0.1:9", "start": ISO8601.format(Date()), "preRoll": 0])
            #expect(due["state"] as? String == "failed" && (due["reason"] as? String)?.contains("siaran-media is not installed") == true, "\(due)")

            let (_, list) = try await client.json("/api/schedule", headers: vera.headers)
            let recordings = try #require(list["recordings"] as? [[String: Any]])
            #expect(recordings.count == 3)
            #expect(!"\(list)".contains("STREAMKEY99"))

            // Cancel: admins only; an unknown id is 404.
            let id = try #require(made["id"] as? String)
            try await client.execute(uri: "/api/schedule/\(id)/cancel", method: .post, headers: tono.writeHeaders) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/schedule/\(id)/cancel", method: .post, headers: ada.writeHeaders) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && text.contains(#""state":"cancelled""#) && text.contains("cancelled by web:ada"))
            }
            try await client.execute(uri: "/api/schedule/nothing/cancel", method: .post, headers: ada.writeHeaders) { response in
                #expect(response.status == .notFound)
            }
        }
        let store = ScheduleStore(archive: fixture.archive)
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the schedule holds stream keys")
        let kept = try store.load()
        #expect(kept.count == 3 && kept.contains { $0.source.contains("STREAMKEY99") })
        let agendaFile = try #require(kept.first { $0.agendaFile != nil }?.agendaFile)
        #expect(try AgendaFile.load(path: store.agendaPath(agendaFile)).speakers.first?.name == "Ahmad")
    }

    @Test("the schedule page is for signed-in visitors; anonymous ones are sent to sign in")
    func page() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/schedule", method: .get) { response in
                #expect(response.status == .seeOther)
            }
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/schedule", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("/assets/schedule."))
            }
            try await client.execute(uri: "/assets/schedule.js", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
