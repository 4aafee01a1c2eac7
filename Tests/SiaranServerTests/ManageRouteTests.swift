import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: admins rename, describe, delete and restore sessions")
struct ManageRouteTests {
    static func body(_ value: [String: Any]) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value)) }

    @Test("viewers and taggers are refused, a write without the token is refused, an admin renames, describes, deletes and restores; each change is logged with its author")
    func everyRole() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            let rename = try Self.body(["title": "Rapat pleno terbuka rekapitulasi suara"])
            for who in [vera, tono] {
                try await client.execute(uri: "/api/sessions/\(id)/title", method: .put, headers: who.writeHeaders, body: rename) { #expect($0.status == .forbidden) }
                try await client.execute(uri: "/api/sessions/\(id)", method: .delete, headers: who.writeHeaders) { #expect($0.status == .forbidden) }
                try await client.execute(uri: "/api/trash", method: .get, headers: who.headers) { #expect($0.status == .forbidden) }
            }
            try await client.execute(uri: "/api/sessions/\(id)/title", method: .put, headers: [.cookie: ada.cookie, .contentType: "application/json"],
                                     body: rename) { #expect($0.status == .forbidden, "no CSRF token") }
            try await client.execute(uri: "/api/sessions/\(id)", method: .delete, headers: [.cookie: ada.cookie]) { #expect($0.status == .forbidden, "no CSRF token") }

            // The admin renames (several words) and the list says so at once.
            try await client.execute(uri: "/api/sessions/\(id)/title", method: .put, headers: ada.writeHeaders, body: rename) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("Rapat pleno terbuka rekapitulasi suara"))
            }
            let list = try await client.json("/api/sessions", headers: vera.headers).body["sessions"] as? [[String: Any]] ?? []
            #expect(list.first { $0["id"] as? String == id }?["title"] as? String == "Rapat pleno terbuka rekapitulasi suara")
            try await client.execute(uri: "/api/sessions/\(id)/title", method: .put, headers: ada.writeHeaders, body: try Self.body(["title": "  "])) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/sessions/\(id)/description", method: .put, headers: ada.writeHeaders,
                                     body: try Self.body(["description": "Rapat pleno terbuka tingkat kota."])) { #expect($0.status == .ok) }
            #expect(fixture.archive.loadAgenda(id)?.description == "Rapat pleno terbuka tingkat kota.")

            // The live session (its recorder holds the lock) is never changed.
            try await client.execute(uri: "/api/sessions/\(fixture.live)/title", method: .put, headers: ada.writeHeaders, body: rename) { response in
                #expect(response.status == .conflict && String(buffer: response.body).contains("sedang direkam"))
            }
            try await client.execute(uri: "/api/sessions/\(fixture.live)", method: .delete, headers: ada.writeHeaders) { #expect($0.status == .conflict) }

            // Delete: gone from the archive and its pages, in the trash; restore brings it back.
            try await client.execute(uri: "/api/sessions/\(id)", method: .delete, headers: ada.writeHeaders) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains(#""deletedBy":"web:ada""#))
            }
            #expect(try await client.json("/api/sessions/\(id)", headers: vera.headers).status == 404)
            let trash = try await client.json("/api/trash", headers: ada.headers).body
            #expect((trash["trash"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Rapat pleno terbuka rekapitulasi suara"] && trash["days"] as? Int == 30)
            try await client.execute(uri: "/api/trash/\(id)/restore", method: .post, headers: tono.writeHeaders) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/trash/\(id)/restore", method: .post, headers: ada.writeHeaders) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/trash/..%2Fx/restore", method: .post, headers: ada.writeHeaders) { #expect($0.status == .notFound) }
            #expect(try await client.json("/api/sessions/\(id)", headers: vera.headers).status == 200)
            // The trash page is for admins.
            try await client.execute(uri: "/trash", method: .get, headers: ada.headers) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("Sesi yang dihapus"))
            }
            try await client.execute(uri: "/trash", method: .get, headers: tono.headers) { #expect($0.status == .forbidden) }
        }
        let changes = EventLog(path: fixture.archive.eventsPath(of: id)).read().events.filter { $0.kind == .session }
        #expect(changes.map(\.value) == ["rename", "describe", "trash", "restore"] && changes.allSatisfy { $0.author == "web:ada" })
        #expect(changes.first?.note?.contains(#""from":"Rapat pleno rekapitulasi""#) == true)
        // The tags are untouched by the session's events.
        #expect(try SessionDetails(archive: fixture.archive, id: id).timeline.speakerTurns.map(\.value) == ["Ahmad Fauzi", "Siti Rahma"])
    }

    @Test("joining two sessions: admins only, with the token, never the live one; the new session replaces both in the list")
    func join() async throws {
        let fixture = try ServerFixture()
        let first = fixture.finished
        // The same briefing again after an outage: a copy of the finished session, an hour later.
        var m = try fixture.archive.loadManifest(first)
        let second = try fixture.archive.createSessionDirectory(title: m.title, date: (m.startedAt ?? Date()).addingTimeInterval(3600))
        m.id = second
        m.startedAt = m.startedAt?.addingTimeInterval(3600)
        m.endedAt = m.endedAt?.addingTimeInterval(3600)
        try fixture.archive.saveManifest(m)
        for segment in m.segments {
            try Data(repeating: 0x47, count: 1000).write(to: URL(fileURLWithPath: fixture.archive.mediaDirectory(of: second) + "/" + segment.file))
        }
        try await fixture.test { client in
            let tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            let body = try Self.body(["with": second])
            try await client.execute(uri: "/api/sessions/\(first)/merge", method: .post, headers: tono.writeHeaders, body: body) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/sessions/\(first)/merge", method: .post, headers: [.cookie: ada.cookie, .contentType: "application/json"],
                                     body: body) { #expect($0.status == .forbidden, "no CSRF token") }
            try await client.execute(uri: "/api/sessions/\(fixture.live)/merge", method: .post, headers: ada.writeHeaders, body: body) { #expect($0.status == .conflict) }
            let joined: String = try await client.execute(uri: "/api/sessions/\(first)/merge", method: .post, headers: ada.writeHeaders, body: body) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String])?["id"] ?? ""
            }
            let list = try await client.json("/api/sessions", headers: ada.headers).body["sessions"] as? [[String: Any]] ?? []
            #expect(Set(list.compactMap { $0["id"] as? String }) == [joined, fixture.live])
            let detail = try await client.json("/api/sessions/\(joined)", headers: ada.headers)
            #expect(detail.status == 200)
        }
        let joined = try #require(fixture.archive.sessionIDs().first { $0 != fixture.live })
        #expect(try fixture.archive.loadManifest(joined).mediaDuration == 240)
    }
}
