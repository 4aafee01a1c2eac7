import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: the agenda and roster editor")
struct AgendaRouteTests {
    static var built: [String: Any] { [
        "title": "Rapat koordinasi persiapan pemilu", "organiser": "KPU Kota Bandung", "date": "2026-12-07", "start": "09:00 WIB",
        "speakers": [["name": "Ahmad Fauzi", "role": "Ketua", "organisation": "KPU Kota Bandung", "aliases": []],
                     ["name": "Rina Kartika Sari", "role": "Kepala Bagian Teknis", "aliases": []]],
        "participants": [["name": "Dedi Supriadi", "organisation": "Bawaslu", "aliases": []]],
        "agenda": [["title": "Sambutan pembukaan", "speakers": ["Ahmad Fauzi"], "plannedStart": "09:00"],
                   ["title": "Paparan daftar pemilih", "speakers": ["Rina Kartika Sari"], "plannedStart": "09:30"]],
    ] }

    @Test("a tagger saves an agenda built in the page; viewers and writes without the token are refused; the YAML export reads back the same")
    func saveAndExport() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono")
            let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: Self.built))
            try await client.execute(uri: "/api/sessions/\(id)/agenda", method: .put, headers: vera.writeHeaders, body: body) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/sessions/\(id)/agenda", method: .put, headers: [.cookie: tono.cookie, .contentType: "application/json"],
                                     body: body) { #expect($0.status == .forbidden, "no CSRF token") }
            try await client.execute(uri: "/api/sessions/\(id)/agenda", method: .put, headers: tono.writeHeaders, body: body) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            let saved = try #require(fixture.archive.loadAgenda(id))
            #expect(saved.title == "Rapat koordinasi persiapan pemilu" && saved.speakers.map(\.name) == ["Ahmad Fauzi", "Rina Kartika Sari"])
            #expect(saved.agenda.map(\.plannedStart) == ["09:00", "09:30"] && saved.participants.first?.organisation == "Bawaslu")
            // The live console's roster is this one (the session's detail).
            let detail = try await client.json("/api/sessions/\(id)", headers: vera.headers).body
            #expect(((detail["agenda"] as? [String: Any])?["speakers"] as? [[String: Any]])?.count == 2)

            // YAML out (viewers may download it), and back in through the import.
            let yaml: String = try await client.execute(uri: "/api/sessions/\(id)/agenda?format=yaml", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && response.headers[.contentDisposition]?.contains("agenda.yaml") == true)
                return String(buffer: response.body)
            }
            #expect(try AgendaFile.parse(yaml, file: "x") == saved)
            let imported = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["yaml": yaml]))
            try await client.execute(uri: "/api/agenda/yaml", method: .post, headers: tono.writeHeaders, body: imported) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("Paparan daftar pemilih"))
            }
            let broken = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["yaml": "title: [tidak ditutup\n"]))
            try await client.execute(uri: "/api/agenda/yaml", method: .post, headers: tono.writeHeaders, body: broken) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("agenda.yaml:1"))
            }

            // An item naming someone not on the roster is refused, as in the file.
            var wrong = Self.built
            wrong["agenda"] = [["title": "Tanya jawab", "speakers": ["Orang Lain"]]]
            try await client.execute(uri: "/api/sessions/\(id)/agenda", method: .put, headers: tono.writeHeaders,
                                     body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: wrong))) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("Orang Lain"))
            }

            // People are suggested from the rosters of every session, by part of a name or organisation.
            let people = try await client.json("/api/people?q=rina", headers: tono.headers).body["people"] as? [[String: Any]] ?? []
            #expect(people.map { $0["name"] as? String } == ["Rina Kartika Sari"] && people.first?["role"] as? String == "Kepala Bagian Teknis")
            let fauzi = try await client.json("/api/people?q=fauzi", headers: tono.headers).body["people"] as? [[String: Any]] ?? []
            #expect(fauzi.first?["sessions"] as? Int == 1 && fauzi.first?["organisation"] as? String == "KPU Kota Bandung")
            #expect(try await client.json("/api/people?q=x", headers: vera.headers).status == 403)
            // The editor's pages: taggers only.
            try await client.execute(uri: "/sessions/\(id)/agenda", method: .get, headers: tono.headers) { #expect($0.status == .ok) }
            try await client.execute(uri: "/agenda", method: .get, headers: vera.headers) { #expect($0.status == .forbidden) }
        }
        let logged = EventLog(path: fixture.archive.eventsPath(of: id)).read().events.filter { $0.kind == .session }
        #expect(logged.map(\.value) == ["agenda"] && logged.first?.author == "web:tono")
    }
}
