import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranServer
import Testing

@Suite("Web companion: Word (DOCX) and WhatsApp exports")
struct OfficerExportRouteTests {
    /// `word/document.xml` of a DOCX, read back with `unzip` (an independent reader of the file).
    static func documentXML(_ data: Data) throws -> String {
        let file = NSTemporaryDirectory() + "export-\(UUID().uuidString).docx"
        try data.write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        let unzip = Process(), output = Pipe()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-p", file, "word/document.xml"]
        unzip.standardOutput = output
        try unzip.run()
        let xml = output.fileHandleForReading.readDataToEndOfFile()
        unzip.waitUntilExit()
        #expect(unzip.terminationStatus == 0, "unzip could not read the DOCX")
        return String(decoding: xml, as: UTF8.self)
    }

    @Test("the post and the report download as DOCX holding the headline, the quote and the speakers; WhatsApp text has the link")
    func docxAndWhatsapp() async throws {
        let fixture = try ServerFixture()
        let id = fixture.finished
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono")
            try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                     body: ByteBuffer(string: #"{"at":40}"#)) { #expect($0.status == .created) }
            let post: Data = try await client.execute(uri: "/api/sessions/\(id)/post/export?format=docx", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                #expect(response.headers[.contentDisposition]?.contains("\(id)-berita.docx") == true)
                return Data(buffer: response.body)
            }
            let xml = try Self.documentXML(post)
            #expect(xml.contains("RAPAT PLENO"), "the headline")
            #expect(xml.contains("Kami mengimbau masyarakat agar tidak menyebarkan hoaks tentang pemilu."), "the quote")
            #expect(xml.contains("Siti Rahma"), "who said it")

            let report: Data = try await client.execute(uri: "/api/sessions/\(id)/report?format=docx", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok && response.headers[.contentDisposition]?.contains("\(id).docx") == true)
                return Data(buffer: response.body)
            }
            let table = try Self.documentXML(report)
            #expect(table.contains("Rapat pleno rekapitulasi") && table.contains("Ahmad Fauzi") && table.contains("Ketua") && table.contains("<w:tbl>"))

            let link = "https://siaran.kpu.example/sessions/\(id)"
            try await client.execute(uri: "/api/sessions/\(id)/post/export?format=whatsapp&link=\(link.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                     method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && text.hasPrefix("*RAPAT PLENO*\n\n") && text.hasSuffix("\n\n\(link)\n"), "\(text)")
            }
            // A link elsewhere is refused (the text is pasted to many people).
            try await client.execute(uri: "/api/sessions/\(id)/post/export?format=whatsapp&link=https%3A%2F%2Fevil.example%2Fx", method: .get,
                                     headers: vera.headers) { #expect($0.status == .badRequest) }
            // Anonymous visitors get nothing.
            try await client.execute(uri: "/api/sessions/\(id)/post/export?format=docx", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("without python-docx the DOCX export says what to install, and Markdown still works; a failing writer says so")
    func missingTool() async throws {
        let fixture = try ServerFixture()
        fixture.configure = { $0.pythonInterpreters = ["/nonexistent/python3"] }
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/report?format=docx", method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                let message = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String])?["error"] ?? ""
                #expect(response.status == .serviceUnavailable && message.contains("python3-docx") && message.contains("Scripts/setup"), "\(text)")
            }
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/report?format=md", method: .get, headers: vera.headers) { #expect($0.status == .ok) }
        }
        fixture.configure = { $0.pythonInterpreters = ["/bin/false"] }
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/post/export?format=docx", method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .internalServerError && text.contains("tidak dapat dibuat") && text.contains("exit 1"), "\(text)")
            }
        }
    }
}
