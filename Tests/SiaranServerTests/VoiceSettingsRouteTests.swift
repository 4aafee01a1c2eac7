import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

/// The settings page's voice switch and library (issue #31): `GET|PUT /api/voices`, `DELETE /api/voices/people/{name}`.
@Suite("Web companion: the office's voice setting and library")
struct VoiceSettingsRouteTests {
    static func body(_ value: [String: Any]) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value)) }

    @Test("admins only (viewers and taggers refused, anonymous asked to sign in, writes need the token); off until an admin turns it on; the library lists names and counts, never vectors; a person several words long is deleted at once, their vectors gone from the file")
    func settingsAndLibrary() async throws {
        let fixture = try ServerFixture()
        let library = VoiceLibrary(archive: fixture.archive)
        let marker = 0.123456789
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            try await client.execute(uri: "/api/voices", method: .get) { #expect($0.status == .unauthorized) }
            for who in [vera, tono] {
                try await client.execute(uri: "/api/voices", method: .get, headers: who.headers) { #expect($0.status == .forbidden) }
                try await client.execute(uri: "/api/voices", method: .put, headers: who.writeHeaders, body: try Self.body(["enabled": true])) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(uri: "/api/voices/people/Siti%20Rahma", method: .delete, headers: who.writeHeaders) { #expect($0.status == .forbidden) }
            }
            try await client.execute(uri: "/settings", method: .get, headers: tono.headers) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/settings", method: .get, headers: ada.headers) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok && page.contains("UU No. 27 Tahun 2022") && page.contains("hanya disimpan di mesin ini"))
            }
            // Off until an admin turns it on; the token is needed.
            #expect(try await client.json("/api/voices", headers: ada.headers).body["enabled"] as? Bool == false)
            try await client.execute(uri: "/api/voices", method: .put, headers: [.cookie: ada.cookie, .contentType: "application/json"],
                                     body: try Self.body(["enabled": true])) { #expect($0.status == .forbidden, "no CSRF token") }
            #expect(!library.isEnabled)
            try await client.execute(uri: "/api/voices", method: .put, headers: ada.writeHeaders, body: try Self.body(["enabled": true])) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains(#""changedBy":"web:ada""#))
            }
            #expect(library.isEnabled)

            for (name, session) in [("Rina Kartika Sari", "a"), ("Rina Kartika Sari", "b"), ("Siti Rahma", "a")] {
                try library.enroll(name, sample: .init(session: session, seconds: 12, basis: "tag", vector: [marker] + Array(repeating: 0.01, count: 255)), by: "test")
            }
            try await client.execute(uri: "/api/voices", method: .get, headers: ada.headers) { response in
                let text = String(buffer: response.body)
                #expect(!text.contains("vector") && !text.contains("0.123456789"), "never the vectors")
                let people = (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["people"] as? [[String: Any]]
                #expect(people?.map { $0["name"] as? String } == ["Rina Kartika Sari", "Siti Rahma"] && people?.map { $0["samples"] as? Int } == [2, 1])
            }
            try await client.execute(uri: "/api/voices/people/Rina%20Kartika%20Sari", method: .delete, headers: [.cookie: ada.cookie]) {
                #expect($0.status == .forbidden, "no CSRF token")
            }
            try await client.execute(uri: "/api/voices/people/rina%20kartika%20sari", method: .delete, headers: ada.writeHeaders) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let people = (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["people"] as? [[String: Any]]
                #expect(people?.map { $0["name"] as? String } == ["Siti Rahma"])
            }
            try await client.execute(uri: "/api/voices/people/Rina%20Kartika%20Sari", method: .delete, headers: ada.writeHeaders) { response in
                #expect(response.status == .notFound && String(buffer: response.body).contains("pustaka suara"))
            }
            // Turning it off keeps the library (deleting people removes vectors).
            try await client.execute(uri: "/api/voices", method: .put, headers: ada.writeHeaders, body: try Self.body(["enabled": false])) { #expect($0.status == .ok) }
        }
        #expect(!library.isEnabled)
        #expect(try library.load().map(\.name) == ["Siti Rahma"])
        let file = String(decoding: try Data(contentsOf: URL(fileURLWithPath: library.libraryPath)), as: UTF8.self)
        #expect(!file.contains("Rina") && file.components(separatedBy: "0.123456789").count == 2, "only Siti's vector is left")
    }
}
