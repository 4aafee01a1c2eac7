import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: who did what")
struct AuthorshipTests {
    @Test("the live console's stream brings another officer's tag as it comes, with its author and time")
    func othersTagsLive() async throws {
        let fixture = try ServerFixture()
        let id = fixture.live
        try await fixture.test { client in
            let tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            // tono's console listens: the first look (session, tags), then ada's tag (session, tags).
            let listening = Task { () -> String in
                try await client.execute(uri: "/api/sessions/\(id)/updates?limit=4", method: .get, headers: tono.headers) { String(buffer: $0.body) }
            }
            try await Task.sleep(for: .milliseconds(1200))
            let before = Date()
            try await client.execute(uri: "/api/sessions/\(id)/tags", method: .post, headers: ada.writeHeaders,
                                     body: ByteBuffer(string: #"{"kind":"speaker","value":"Dewi Lestari"}"#)) { response in
                #expect(response.status == .created)
            }
            let stream = try await listening.value
            let blocks = stream.components(separatedBy: "\n\n").filter { $0.contains("event: tags") }
            #expect(blocks.count == 2, "\(stream.prefix(2000))")
            let last = try #require(blocks.last?.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { Data($0.dropFirst(6).utf8) })
            let list = try #require(try JSONSerialization.jsonObject(with: last) as? [String: Any])
            let tag = try #require((list["tags"] as? [[String: Any]])?.first { $0["value"] as? String == "Dewi Lestari" })
            #expect(tag["author"] as? String == "web:ada")
            let taggedAt = try #require((tag["taggedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) ?? Date($0, strategy: .iso8601) }, "\(tag)")
            #expect(abs(taggedAt.timeIntervalSince(before)) < 5)
        }
    }

    @Test("a starred quote keeps who starred it and when; a correction who made it; anonymous visitors of a public session see neither")
    func quotesAndCorrectionsSayWho() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        let id = fixture.finished
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders, body: ByteBuffer(string: #"{"at":40}"#)) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/api/sessions/\(id)/transcript/corrections", method: .post, headers: tono.writeHeaders,
                                     body: ByteBuffer(string: #"{"action":"edit","file":"notulen.vtt","at":90,"text":"Daftar pemilih tetap sudah ditetapkan KPU."}"#)) { response in
                #expect(response.status == .created)
            }
            let post = try await client.json("/api/sessions/\(id)/post", headers: tono.headers).body
            let quote = try #require((post["quotes"] as? [[String: Any]])?.first)
            #expect(quote["starredBy"] as? String == "web:tono" && quote["starredAt"] is String)
            let lines = try #require(try await client.json("/api/sessions/\(id)/transcript", headers: tono.headers).body["lines"] as? [[String: Any]])
            #expect(lines.last?["correctedBy"] as? String == "web:tono" && lines.last?["correctedAt"] is String)
            // The public sees the corrected words, not who corrected or starred them.
            let open = try #require(try await client.json("/api/sessions/\(id)/transcript").body["lines"] as? [[String: Any]])
            #expect(open.last?["text"] as? String == "Daftar pemilih tetap sudah ditetapkan KPU." && open.last?["correctedBy"] == nil)
            let openPost = try await client.json("/api/sessions/\(id)/post").body
            let openQuote = try #require((openPost["quotes"] as? [[String: Any]])?.first, "the public sees the starred quote")
            #expect(openQuote["text"] is String && openQuote["starredBy"] == nil && openQuote["starredAt"] == nil)
            // A moment link and a clip open for anyone a public session allows.
            try await client.execute(uri: "/sessions/\(id)?t=40", method: .get) { response in #expect(response.status == .ok) }
        }
    }
}
