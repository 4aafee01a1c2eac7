import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive
import SiaranCore

/// The news post of a session: star transcript lines as quotes, pick a keyframe as the photo, edit
/// the draft, export it as Markdown or self-contained HTML. Reading needs `viewer`; every change
/// needs `tagger` and the CSRF token, and is kept in the session's `post.json`.
struct PostRoutes {
    let archive: Archive
    let gate: Gate
    let jobs: MediaJobs
    /// The office's zone: the post's day ("Rabu (15/9)") is the day there.
    let zone: TimeZone
    /// DOCX and WhatsApp (`format=docx`, `format=whatsapp`).
    let exports: DocumentExports

    var store: NewsPostStore { NewsPostStore(archive: archive) }

    struct NewQuote: Decodable {
        /// The start of the transcript line, in seconds into the session.
        var at: Double
        /// Which caption file it is in, when several have a line there.
        var file: String?
        /// The part of the line to quote, when not all of it.
        var text: String?
    }

    struct NewPhoto: Decodable {
        var at: Double
    }

    struct NewText: Decodable {
        /// The edited text; null (or absent) goes back to the draft.
        var text: String?
    }

    /// Photos are this wide (a news site's column); the keyframe is scaled down, never up.
    static let photoWidth = 1280

    func add(to router: Router<SiaranContext>) {
        router.get("/api/sessions/:id/post") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            return try Reply.json(try view(id, names: context.visitor.role != nil))
        }
        router.get("/api/sessions/:id/post/export") { request, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let name = request.form["format"].map(String.init) ?? "md"
            if name == "docx" { return try await exports.postDocx(id) }
            if name == "whatsapp" { return try exports.whatsapp(id, request: request) }
            guard let format = NewsPostExport.Format(rawValue: name) else {
                throw APIError(.badRequest, "no post format '\(name)'; use format=md, format=html, format=text, format=docx or format=whatsapp")
            }
            let details = try SessionDetails(archive: archive, id: id)
            let text = NewsPostExport.render(details, post: try store.load(id), photo: store.photo(id), format: format, zone: zone)
            switch format {
            case .md: return Reply.text(text, type: "text/markdown; charset=utf-8", download: "\(id)-berita.md")
            case .html: return Reply.text(text, type: "text/html; charset=utf-8", download: "\(id)-berita.html")
            case .text: return Reply.text(text, type: "text/plain; charset=utf-8")
            }
        }
        router.get("/api/sessions/:id/post/photo") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            guard let data = store.photo(id) else { throw APIError(.notFound, key: "error.post.noPhoto") }
            return Response(status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "no-cache",
                                                   .contentDisposition: "inline; filename=\"\(NewsPostExport.photoName)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/api/sessions/:id/post/quotes") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(NewQuote.self)
            // The transcript is read once: for the line quoted, and for the quotes following corrections.
            let transcript = CorrectedTranscript.lines(archive: archive, id: id)
            let quote = try quote(wanted, in: id, transcript: transcript, by: TagRoutes.author(context))
            var status = HTTPResponse.Status.created
            let post = try store.update(id, by: nil, transcript: transcript) { post in
                if post.quotes.contains(where: { $0.at == quote.at && $0.text == quote.text }) { status = .ok; return }
                guard post.quotes.count < 200 else { throw APIError(.unprocessableContent, key: "error.post.manyQuotes") }
                post.quotes.append(quote)
            }
            return try Reply.json(try view(id, post: post), status: status)
        }
        router.delete("/api/sessions/:id/post/quotes/:quote") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let target = context.parameters.get("quote") ?? ""
            let post = try store.update(id, by: nil) { post in
                guard let index = post.quotes.firstIndex(where: { $0.id == target }) else {
                    throw APIError(.notFound, key: "error.post.noQuote", ["id": target])
                }
                post.quotes.remove(at: index)
            }
            return try Reply.json(try view(id, post: post))
        }
        router.put("/api/sessions/:id/post/photo") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(NewPhoto.self)
            let manifest = try archive.loadManifest(id)
            guard manifest.streams.contains(where: { $0.kind == .video }) else {
                throw APIError(.unprocessableContent, key: "error.post.noVideo")
            }
            guard wanted.at.isFinite, wanted.at >= 0, wanted.at <= max(manifest.mediaEnd, 0) else {
                throw APIError(.badRequest, key: "error.post.photoMoment", ["end": String(Int(manifest.mediaEnd))])
            }
            let photo = try await makePhoto(id, at: wanted.at)
            // The file and the moment it shows change together, under the post's lock.
            let post = try store.update(id, by: nil) { post in
                try AtomicFile.write(photo, to: archive.postPhotoPath(of: id))
                post.photo = NewsPost.Photo(at: wanted.at, pickedBy: TagRoutes.author(context))
            }
            return try Reply.json(try view(id, post: post))
        }
        router.put("/api/sessions/:id/post/text") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(NewText.self, limit: 256 * 1024)
            if let text = wanted.text, text.count > NewsPostStore.longestText {
                throw APIError(.contentTooLarge, key: "error.post.long", ["limit": String(NewsPostStore.longestText)])
            }
            let text = wanted.text.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            let post = try store.update(id, by: TagRoutes.author(context)) { $0.text = text }
            return try Reply.json(try view(id, post: post))
        }
    }

    /// The transcript line starting at `wanted.at` as a quote (its text, or the part of it given).
    func quote(_ wanted: NewQuote, in id: String, transcript: [CorrectedTranscript.Line], by author: String) throws -> NewsPost.Quote {
        let lines = transcript.map(TranscriptLine.init).filter { abs($0.start - wanted.at) < 0.05 && (wanted.file == nil || $0.file == wanted.file) }
        guard let line = lines.first(where: { !$0.machine }) ?? lines.first else {
            throw APIError(.notFound, key: "error.post.noLine", ["at": MediaRoutes.format(wanted.at)])
        }
        var text = line.text
        if let part = wanted.text?.trimmingCharacters(in: .whitespacesAndNewlines), !part.isEmpty {
            guard part.count <= NewsPostStore.longestQuote else {
                throw APIError(.contentTooLarge, key: "error.post.longQuote", ["limit": String(NewsPostStore.longestQuote)])
            }
            // A quote is what was said: a part of the line, never other words put in a speaker's mouth.
            guard TextFolding.fold(line.text).contains(TextFolding.fold(part)) else {
                throw APIError(.unprocessableContent, key: "error.post.quotePart", ["at": MediaRoutes.format(line.start), "line": line.text])
            }
            text = part
        }
        let timeline = try SessionDetails(archive: archive, id: id).timeline
        // An officer's speaker is kept with the quote; a voice suggestion is not (the draft names
        // whoever the voices say then, and follows a later confirmation or correction).
        let turn = timeline.effectiveSpeaker(at: line.start + 0.01)
        let speaker = line.voice ?? (turn?.isSuggested == false ? turn?.value : nil)
        let key = UUID().uuidString.lowercased().prefix(8)
        return NewsPost.Quote(id: "q" + key, at: line.start, end: line.end, text: text, speaker: speaker,
                              machine: line.machine, starredBy: author, starredAt: Date())
    }

    /// A keyframe at `at`, made by a `siaran-media` child into the cache: its JPEG bytes.
    func makePhoto(_ id: String, at: Double) async throws -> Data {
        let folder = archive.root + "/.cache/post-photos"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/\(id)-\(UUID().uuidString).jpg"
        defer { unlink(file) }
        try await jobs.run(["thumbnail", id, "--at", String(format: "%.1f", at), "--width", String(Self.photoWidth), "-o", file, "--force"])
        guard let data = try PlainFile.read(file), !data.isEmpty else { throw APIError(.internalServerError, "the photo was not written") }
        return data
    }

    /// What the session page's post panel shows.
    /// The post as the API shows it; `names`: with the accounts that starred and edited (not for anonymous visitors).
    /// `post`: the post as a change just saved it (not read again).
    func view(_ id: String, names: Bool = true, post saved: NewsPost? = nil) throws -> PostView {
        let post = try saved ?? store.load(id)
        let details = try SessionDetails(archive: archive, id: id)
        let quotes = post.quotesInOrder.map { quote in
            var shown = quote
            if !names { shown.starredBy = nil; shown.starredAt = nil }
            return shown
        }
        return PostView(quotes: quotes, photo: post.photo.map { .init(at: $0.at, url: "/api/sessions/\(id)/post/photo") },
                        draft: NewsPostDraft.text(details, post: post, zone: zone), text: post.text, editedBy: names ? post.editedBy : nil,
                        updatedAt: post.updatedAt)
    }
}

/// `GET /api/sessions/{id}/post`: the quotes, the photo, Siaran's draft and the edited text.
struct PostView: Encodable {
    struct Photo: Encodable {
        var at: Double
        var url: String
    }
    var quotes: [NewsPost.Quote]
    var photo: Photo?
    /// The draft from the agenda, roster, speaker turns and quotes (what `text` would be unedited).
    var draft: String
    /// The officer's edited text; null while the post is the draft.
    var text: String?
    var editedBy: String?
    var updatedAt: Date?
}
