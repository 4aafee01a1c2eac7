import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranCore
import SiaranServer
import Testing

@Suite("Web companion: transcript correction")
struct TranscriptCorrectionRouteTests {
    static func body(_ object: [String: Any]) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)) }

    static func lines(_ response: TestResponse) throws -> [[String: Any]] {
        let view = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        return try #require(view["lines"] as? [[String: Any]])
    }

    @Test("a tagger corrects a misheard machine line: the file keeps the machine's text, search, exports and quotes use the correction; viewers and token-less writes are refused")
    func correctSearchExport() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        let archive = fixture.archive
        let machine = [Cue(start: 60, end: 64, text: "Naftar pemilih sudah diumumkan di setiap desa."),
                       Cue(start: 64, end: 70, text: "Silakan periksa nama anda sebelum hari pemungutan suara."),
                       Cue(start: 70, end: 72, text: "Terima kasih.")]
        try AtomicFile.write(Data(("WEBVTT\n\nNOTE machine transcript test\n\n" + WebVTT.renderBlocks(machine)).utf8), to: archive.machineTranscriptPath(of: id))
        let uri = "/api/sessions/\(id)/transcript/corrections"
        let edit = try Self.body(["action": "edit", "file": "asr.vtt", "at": 60, "text": "Daftar pemilih tetap sudah diumumkan di setiap desa."])
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            // Before: the misheard word is found, the right one is not (on that line).
            let misheard = { (found: [String: Any]) in ((found["hits"] as? [[String: Any]]) ?? []).filter { ($0["text"] as? String)?.contains("Naftar") == true } }
            var found = try await client.json("/api/search?q=naftar", headers: vera.headers).body
            #expect(misheard(found).count == 1)

            try await client.execute(uri: uri, method: .post, headers: vera.writeHeaders, body: edit) { response in
                #expect(response.status == .forbidden, "a viewer cannot correct")
            }
            try await client.execute(uri: uri, method: .post, headers: [.cookie: tono.cookie, .contentType: "application/json"], body: edit) { response in
                #expect(response.status == .forbidden, "no CSRF token")
            }
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders, body: edit) { response in
                #expect(response.status == .created)
                let line = try #require(try Self.lines(response).first { $0["start"] as? Double == 60 })
                #expect(line["text"] as? String == "Daftar pemilih tetap sudah diumumkan di setiap desa.")
                #expect(line["original"] as? String == "Naftar pemilih sudah diumumkan di setiap desa." && line["correctedBy"] as? String == "web:tono")
                #expect(line["correctedAt"] is String)
            }
            // The machine's file is unchanged; the log says who changed what.
            let file = String(decoding: try #require(try PlainFile.read(archive.machineTranscriptPath(of: id))), as: UTF8.self)
            #expect(file.contains("Naftar pemilih sudah diumumkan"))
            let log = CorrectionLog(path: archive.correctionsPath(of: id)).read()
            #expect(log.count == 1 && log[0].author == "web:tono" && log[0].before == "Naftar pemilih sudah diumumkan di setiap desa.")

            // Search finds the corrected words at once, as a human caption; the misheard one is gone.
            found = try await client.json("/api/search?q=%22daftar%20pemilih%20tetap%22", headers: vera.headers).body
            let hits = try #require(found["hits"] as? [[String: Any]])
            let hit = try #require(hits.first { $0["seconds"] as? Double == 60 }, "\(found)")
            #expect(hit["matched"] as? String == "caption" && (hit["text"] as? String)?.contains("setiap desa") == true)
            found = try await client.json("/api/search?q=naftar", headers: vera.headers).body
            #expect(misheard(found).isEmpty, "\(found)")

            // The exports and a quote carry the correction.
            try await client.execute(uri: "/api/sessions/\(id)/transcript?format=srt", method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("Daftar pemilih tetap sudah diumumkan") && !text.contains("Naftar"))
            }
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["at": 60, "file": "asr.vtt"])) { response in
                let view = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let quote = try #require((view["quotes"] as? [[String: Any]])?.first)
                #expect(quote["text"] as? String == "Daftar pemilih tetap sudah diumumkan di setiap desa." && quote["machine"] as? Bool == false)
            }

            // Split at the caret (a UTF-16 offset), merge back, fix the speaker (an admin may too).
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "split", "file": "asr.vtt", "at": 64, "caret": 26])) { response in
                #expect(response.status == .created)
                let parts = try Self.lines(response).filter { $0["file"] as? String == "asr.vtt" }.map { $0["text"] as? String ?? "" }
                #expect(parts == ["Daftar pemilih tetap sudah diumumkan di setiap desa.", "Silakan periksa nama anda",
                                  "sebelum hari pemungutan suara.", "Terima kasih."])
            }
            try await client.execute(uri: uri, method: .post, headers: ada.writeHeaders,
                                     body: try Self.body(["action": "merge", "file": "asr.vtt", "at": 64])) { response in
                let texts = try Self.lines(response).filter { $0["file"] as? String == "asr.vtt" }.map { $0["text"] as? String ?? "" }
                #expect(texts[1] == "Silakan periksa nama anda sebelum hari pemungutan suara.", "\(texts)")
            }
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "speaker", "file": "asr.vtt", "at": 70, "speaker": "Siti Rahma"])) { response in
                let last = try #require(try Self.lines(response).first { $0["start"] as? Double == 70 })
                #expect(last["voice"] as? String == "Siti Rahma" && last["text"] as? String == "Terima kasih.")
            }
            // Mistakes say what to do.
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "edit", "file": "asr.vtt", "at": 61, "text": "x"])) { response in
                #expect(response.status == .notFound && String(buffer: response.body).contains("muat ulang halaman"))
            }
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "edit", "file": "asr.vtt", "at": 60, "text": "  "])) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "merge", "file": "asr.vtt", "at": 70])) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("baris terakhir"))
            }
            try await client.execute(uri: uri, method: .post, headers: tono.writeHeaders,
                                     body: try Self.body(["action": "rewrite", "file": "asr.vtt", "at": 60])) { response in
                #expect(response.status == .badRequest)
            }
            #expect(CorrectionLog(path: archive.correctionsPath(of: id)).read().count == 4)
        }
    }
}
