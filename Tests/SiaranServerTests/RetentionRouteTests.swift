import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: retention policy, its preview, and pins")
struct RetentionRouteTests {
    static func body(_ value: [String: Any]) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value)) }

    @Test("admins only (anonymous 401, viewer and tagger 403, no token 403); the preview is the dry run's list; a pin keeps a session and is logged")
    func everyRole() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        try await fixture.test { client in
            try await client.execute(uri: "/api/retention", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/sessions/\(id)/pin", method: .put, headers: [.contentType: "application/json"], body: try Self.body(["pinned": true])) {
                #expect($0.status == .unauthorized)
            }
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            let policy = try Self.body(["keepDays": 2, "keepNewest": 0])
            for who in [vera, tono] {
                try await client.execute(uri: "/api/retention", method: .get, headers: who.headers) { #expect($0.status == .forbidden) }
                try await client.execute(uri: "/api/retention", method: .put, headers: who.writeHeaders, body: policy) { #expect($0.status == .forbidden) }
                try await client.execute(uri: "/api/sessions/\(id)/pin", method: .put, headers: who.writeHeaders, body: try Self.body(["pinned": true])) { #expect($0.status == .forbidden) }
                try await client.execute(uri: "/retensi", method: .get, headers: who.headers) { #expect($0.status == .forbidden) }
            }
            try await client.execute(uri: "/api/retention", method: .put, headers: [.cookie: ada.cookie, .contentType: "application/json"], body: policy) {
                #expect($0.status == .forbidden, "no CSRF token")
            }
            try await client.execute(uri: "/api/retention", method: .put, headers: ada.writeHeaders, body: try Self.body(["keepDays": 0])) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("1 sampai 36500 hari"))
            }
            #expect(try await client.json("/api/retention?keepDays=abc", headers: ada.headers).status == 422)
            #expect(try RetentionPolicy.load(fixture.archive) == RetentionPolicy(), "nothing saved by refused writes")

            // Unsaved preview, then saved: the finished session (3 days old) goes; the live one is too young.
            let (status, preview) = try await client.json("/api/retention?keepDays=2&keepNewest=0", headers: ada.headers)
            let previewPlan = preview["plan"] as? [String: Any] ?? [:]
            #expect(status == 200 && (previewPlan["delete"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id], "\(preview)")
            #expect(try RetentionPolicy.load(fixture.archive) == RetentionPolicy(), "a preview saves nothing")
            try await client.execute(uri: "/api/retention", method: .put, headers: ada.writeHeaders, body: policy) { #expect($0.status == .ok) }
            let saved = try RetentionPolicy.load(fixture.archive)
            #expect(saved.keepDays == 2 && saved.keepNewest == 0 && saved.setBy == "web:ada")
            let dryRun = RetentionPlan.make(fixture.archive, policy: saved)
            #expect(dryRun.delete.map(\.id) == [id] && dryRun.kept.isEmpty && dryRun.sessions == 2)
            let view = try await client.json("/api/retention", headers: ada.headers).body
            let plan = view["plan"] as? [String: Any] ?? [:]
            #expect((plan["delete"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == dryRun.delete.map(\.id))
            #expect((plan["freedBytes"] as? Int).map(Int64.init) == dryRun.freedBytes)

            // Pinned from its page: the preview keeps it, and says why.
            #expect(try await client.json("/api/sessions/\(id)/pin", headers: vera.headers).body["pinned"] as? Bool == false)
            try await client.execute(uri: "/api/sessions/\(id)/pin", method: .put, headers: ada.writeHeaders, body: try Self.body(["pinned": true])) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains(#""pinned":true"#))
            }
            try await client.execute(uri: "/api/sessions/nope/pin", method: .put, headers: ada.writeHeaders, body: try Self.body(["pinned": true])) { #expect($0.status == .notFound) }
            let after = try await client.json("/api/retention", headers: ada.headers).body["plan"] as? [String: Any] ?? [:]
            #expect((after["delete"] as? [Any])?.isEmpty == true)
            #expect((after["kept"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["why"] as? String == "pinned")
            try await client.execute(uri: "/retensi", method: .get, headers: ada.headers) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("Retensi arsip"))
            }
        }
        let pins = EventLog(path: fixture.archive.eventsPath(of: id)).read().events.filter { $0.kind == .session && $0.value == "pin" }
        #expect(pins.count == 1 && pins.first?.author == "web:ada")
    }
}
