import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive
import SiaranCore

/// The exports an officer hands on: the news post and the report as DOCX (through `DocxWriter`),
/// and the post as a WhatsApp message with the session's link. Used by the post's and the report's
/// routes (`format=docx`, `format=whatsapp`); reading them needs `viewer`, as the other formats do.
struct DocumentExports: Sendable {
    let archive: Archive
    let writer: DocxWriter
    let zone: TimeZone

    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// `GET /api/sessions/{id}/post/export?format=docx`.
    func postDocx(_ id: String) async throws -> Response {
        let details = try SessionDetails(archive: archive, id: id)
        let store = NewsPostStore(archive: archive)
        let document = WordDocument.post(details, post: try store.load(id), photo: store.photo(id), zone: zone)
        return file(try await writer.write(document), name: "\(id)-berita.docx")
    }

    /// `GET /api/sessions/{id}/report?format=docx`, in the visitor's language.
    func reportDocx(_ id: String, language: OfficeLanguage) async throws -> Response {
        let document = WordDocument.report(try SessionDetails(archive: archive, id: id), language: language, zone: zone)
        return file(try await writer.write(document), name: "\(id).docx")
    }

    /// `GET /api/sessions/{id}/post/export?format=whatsapp[&link=URL]`: the text to paste into WhatsApp.
    /// `link` is the session page as the browser sees it (behind a proxy only it knows the public
    /// address); it must be an http(s) address of this session's page, else the Host's is used.
    func whatsapp(_ id: String, request: Request) throws -> Response {
        let details = try SessionDetails(archive: archive, id: id)
        let page = SessionRoutes.pagePath(id)
        var link = "http://" + (request.head.authority ?? request.headers[.host] ?? "127.0.0.1") + page
        if let given = request.form["link"].map(String.init) {
            guard let url = URL(string: given), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.user == nil,
                  url.path == "/sessions/\(id)" else {
                throw APIError(.badRequest, key: "error.whatsappLink", ["page": page])
            }
            link = given
        }
        let text = NewsPostExport.whatsapp(details, post: try NewsPostStore(archive: archive).load(id), link: link, zone: zone)
        return Reply.text(text, type: "text/plain; charset=utf-8")
    }

    func file(_ data: Data, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: Self.docxType, .cacheControl: "no-store", .contentDisposition: Reply.contentDisposition(name)],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
