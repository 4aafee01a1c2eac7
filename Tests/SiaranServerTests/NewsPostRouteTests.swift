import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: the news post")
struct NewsPostRouteTests {
    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test("a tagger stars transcript lines, edits the draft and exports it; a viewer only reads; every write needs the token")
    func starEditExport() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono")
            let (status, empty) = try await client.json("/api/sessions/\(id)/post", headers: vera.headers)
            #expect(status == 200 && (empty["quotes"] as? [Any])?.isEmpty == true && empty["text"] == nil)
            #expect((empty["draft"] as? String)?.hasPrefix("# RAPAT PLENO\n\n") == true)

            // Viewers cannot star; writes without the token are refused.
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: vera.writeHeaders, body: Self.body(#"{"at":40}"#)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: [.cookie: tono.cookie, .contentType: "application/json"],
                                     body: Self.body(#"{"at":40}"#)) { response in
                #expect(response.status == .forbidden, "no CSRF token")
            }
            // A line that does not exist.
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders, body: Self.body(#"{"at":41}"#)) { response in
                #expect(response.status == .notFound && String(buffer: response.body).contains("Tidak ada baris teks atau transkrip yang mulai pada 41"))
            }
            // Star the line at 40 s: its text, and Siti Rahma, who was speaking.
            let quoteID: String = try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                                           body: Self.body(#"{"at":40}"#)) { response in
                #expect(response.status == .created)
                let view = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let quotes = try #require(view["quotes"] as? [[String: Any]])
                #expect(quotes.count == 1 && quotes[0]["speaker"] as? String == "Siti Rahma" && quotes[0]["starredBy"] as? String == "web:tono")
                #expect(quotes[0]["text"] as? String == "Kami mengimbau masyarakat agar tidak menyebarkan hoaks tentang pemilu.")
                #expect((view["draft"] as? String)?.contains("Siti Rahma menyampaikan, “Kami mengimbau masyarakat agar tidak menyebarkan hoaks tentang pemilu.”") == true)
                return try #require(quotes[0]["id"] as? String)
            }
            // Starring it again changes nothing; a part of a line is a quote of its own.
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders, body: Self.body(#"{"at":40}"#)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                     body: Self.body(#"{"at":10,"text":"rapat pleno kita buka"}"#)) { response in
                #expect(response.status == .created)
            }
            // A part must be of the line: no words put in a speaker's mouth.
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                     body: Self.body(#"{"at":10,"text":"kami menolak hasil pemilu"}"#)) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("harus bagian dari baris"))
            }
            var post = try await client.json("/api/sessions/\(id)/post", headers: vera.headers).body
            #expect((post["quotes"] as? [[String: Any]])?.map { $0["at"] as? Double } == [10, 40])
            #expect((post["draft"] as? String)?.contains("Dalam sambutannya saat membuka kegiatan ini, Ketua, Ahmad Fauzi, menyampaikan, “rapat pleno kita buka.”") == true,
                    "\(post["draft"] ?? "")")

            // Edit, export, go back to the draft.
            let edited = "# Rapat pleno\n\nTeks yang <b>diedit</b> oleh petugas.\n"
            let editBody = try JSONSerialization.data(withJSONObject: ["text": edited])
            try await client.execute(uri: "/api/sessions/\(id)/post/text", method: .put, headers: vera.writeHeaders, body: ByteBuffer(bytes: editBody)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/text", method: .put, headers: tono.writeHeaders, body: ByteBuffer(bytes: editBody)) { response in
                #expect(response.status == .ok)
            }
            post = try await client.json("/api/sessions/\(id)/post", headers: vera.headers).body
            #expect(post["text"] as? String == edited && post["editedBy"] as? String == "web:tono")
            try await client.execute(uri: "/api/sessions/\(id)/post/export?format=md", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/markdown") == true)
                #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
                #expect(String(buffer: response.body) == "# Rapat pleno\n\nTeks yang &lt;b&gt;diedit&lt;/b&gt; oleh petugas.\n")
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/export?format=html", method: .get, headers: vera.headers) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<h1>Rapat pleno</h1>") && html.contains("<p>Teks yang &lt;b&gt;diedit&lt;/b&gt; oleh petugas.</p>"))
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/export?format=pdf", method: .get, headers: vera.headers) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/text", method: .put, headers: tono.writeHeaders, body: Self.body(#"{"text":null}"#)) { response in
                #expect(response.status == .ok)
            }
            #expect(try await client.json("/api/sessions/\(id)/post", headers: vera.headers).body["text"] == nil)

            // Unstar; unstar again is 404. No photo yet is 404.
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes/\(quoteID)", method: .delete, headers: tono.writeHeaders) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes/\(quoteID)", method: .delete, headers: tono.writeHeaders) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/photo", method: .get, headers: vera.headers) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/photo", method: .put, headers: tono.writeHeaders, body: Self.body(#"{"at":99999}"#)) { response in
                #expect(response.status == .badRequest, "a photo outside the session")
            }
        }
        // Everything is in the session's post.json, and nothing of it is served as media.
        let saved = try NewsPostStore(archive: fixture.archive).load(id)
        #expect(saved.quotes.map(\.at) == [10] && saved.text == nil)
    }

    @Test("anonymous visitors see nothing of a post unless --public, and never write")
    func anonymous() async throws {
        let closed = try ServerFixture()
        try await closed.test { client in
            let status = try await client.json("/api/sessions/\(closed.finished)/post").status
            #expect(status == 401)
        }
        let open = try ServerFixture(publicViewing: true)
        try await open.test { client in
            #expect(try await client.json("/api/sessions/\(open.finished)/post").status == 200)
            try await client.execute(uri: "/api/sessions/\(open.finished)/post/quotes", method: .post, headers: [.contentType: "application/json"],
                                     body: Self.body(#"{"at":40}"#)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
