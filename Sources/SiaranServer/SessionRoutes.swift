import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive
import SiaranCore
import SiaranSearch

/// The archive's sessions: the list, one session's detail, transcript and report.
struct SessionRoutes {
    /// A session page's path, its id percent-encoded as one path segment (unreserved characters only).
    static func pagePath(_ id: String) -> String {
        "/sessions/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id)
    }

    let archive: Archive
    let gate: Gate
    /// The office's zone: a filter's day (`since=2021-09-15`) is that day there.
    let zone: TimeZone
    /// The report as DOCX (`format=docx`).
    let exports: DocumentExports

    func add(to router: Router<SiaranContext>) {
        router.get("/api/sessions") { request, context in
            try gate.require(.viewer, context)
            let filter = try SessionFilter(request.form, zone: zone)
            return try Reply.json(["sessions": summaries().filter { filter.accepts($0) && context.visibleSessions?.contains($0.id) != false }])
        }
        router.get("/api/sessions/:id") { _, context in
            try gate.require(.viewer, context)
            let id = try sessionID(context)
            let details: SessionDetails
            do { details = try SessionDetails(archive: archive, id: id) } catch {
                throw APIError(.internalServerError, "session \(id) cannot be read: \(archive.withoutRoot("\(error)"))")
            }
            return try Reply.json(SessionDetailView(archive: archive, details: details, zone: zone, signedIn: context.visitor.role != nil))
        }
        // Which day stands when the agenda's differs from the recording's (taggers: they write the post).
        router.put("/api/sessions/:id/agenda-date") { request, context in
            struct Choice: Decodable { var choice: AgendaDateCheck.Choice? }
            try gate.requireWrite(.tagger, request, context)
            let id = try sessionID(context)
            let choice = try await request.decodeBody(Choice.self)
            do { try AgendaDateCheck.choose(choice.choice, archive: archive, id: id) } catch {
                throw APIError(.unprocessableContent, key: "error.noAgendaToDate")
            }
            let details = try SessionDetails(archive: archive, id: id)
            return try Reply.json(SessionDetailView(archive: archive, details: details, zone: zone, signedIn: context.visitor.role != nil))
        }
        router.get("/api/sessions/:id/transcript") { request, context in
            try gate.require(.viewer, context)
            let id = try sessionID(context)
            guard let name = request.form["format"].map(String.init) else {
                // Who corrected a line is for signed-in officers, not for the public of a public session.
                let lines = archive.transcript(of: id).map { line in
                    var shown = line
                    if context.visitor.role == nil { shown.correctedBy = nil }
                    return shown
                }
                return try Reply.json(["lines": lines])
            }
            guard let format = TranscriptExport.Format(rawValue: name) else {
                throw APIError(.badRequest, key: "error.transcriptFormat", ["value": name])
            }
            // Each line with who spoke it: its voice tag, else who spoke then all told (a voice
            // suggestion no officer confirmed marked "Name?"; anonymous visitors get the tags only).
            let full = (try? SessionDetails(archive: archive, id: id))?.timeline
            let timeline = context.visitor.role == nil ? full?.withoutSuggestions : full
            let cues = archive.transcript(of: id).map { line in
                let turn = timeline?.effectiveSpeaker(at: line.start)
                let spoke = turn.map { $0.isSuggested ? $0.value + IndexedSession.suggestedMark : $0.value }
                return Cue(start: line.start, end: line.end, text: line.text, voice: line.voice ?? spoke)
            }
            return Reply.text(TranscriptExport.render(cues, format: format), type: format.contentType, download: "\(id)-transkrip.\(format.rawValue)")
        }
        router.get("/api/sessions/:id/report") { request, context in
            try gate.require(.viewer, context)
            let id = try sessionID(context)
            let details = try SessionDetails(archive: archive, id: id)
            switch request.form["format"].map(String.init) ?? "md" {
            case "md", "markdown": return Reply.text(SessionReport.markdown(details, language: context.visitor.language, zone: zone), type: "text/markdown; charset=utf-8", download: "\(id).md")
            case "docx": return try await exports.reportDocx(id, language: context.visitor.language)
            case "html": return Reply.text(SessionReport.html(details, language: context.visitor.language, zone: zone), type: "text/html; charset=utf-8", download: "\(id).html")
            case let other: throw APIError(.badRequest, key: "error.reportFormat", ["value": other])
            }
        }
    }

    /// The session named by the route's `:id`, which must be a session of this archive.
    func sessionID(_ context: SiaranContext) throws -> String {
        try Self.session(context.parameters.get("id") ?? "", in: archive)
    }

    static func session(_ id: String, in archive: Archive) throws -> String {
        // A linked session folder is not a session of this archive (its files may be anywhere).
        guard ArchiveFiles.isSessionName(id), PlainFile.isPlainFolder(archive.directory(of: id)), PlainFile.isPlainFile(archive.manifestPath(of: id)) else {
            throw APIError(.notFound, key: "error.noSession", ["id": id])
        }
        return id
    }

    /// Every readable session, newest first (an unreadable one is left out and logged).
    func summaries() -> [SessionSummary] {
        archive.sessionIDs().compactMap { id -> SessionSummary? in
            guard let manifest = try? archive.loadManifest(id) else { return nil }
            let events = EventLog(path: archive.eventsPath(of: id)).read().events
            return SessionSummary(archive: archive, manifest: manifest, timeline: SessionTimeline(events: events, end: manifest.mediaEnd),
                                  pinned: SessionManager.pinned(in: events))
        }.sorted { $0.date > $1.date }
    }
}

/// The archive page's filters: `since`, `until` (YYYY-MM-DD), `speaker`, `topic`, `state`, `q` (title words, each anywhere in the title).
struct SessionFilter {
    var since: Date?
    var until: Date?
    var speaker: String?
    var topic: String?
    var state: String?
    var title: String?

    init(_ query: FormQuery, zone: TimeZone) throws {
        since = try Self.day(query["since"], "since", zone: zone)
        until = try Self.day(query["until"], "until", zone: zone, end: true)
        speaker = Self.nonEmpty(query["speaker"])
        topic = Self.nonEmpty(query["topic"])
        state = Self.nonEmpty(query["state"])
        title = Self.nonEmpty(query["q"])
        if let state, !["live", "recording", "complete", "interrupted", "stale"].contains(state) {
            throw APIError(.badRequest, key: "error.badState", ["value": state])
        }
    }

    func accepts(_ s: SessionSummary) -> Bool {
        if let since, s.date < since { return false }
        if let until, s.date >= until { return false }
        if let speaker, !s.speakers.contains(where: { Self.folded($0, contains: speaker) }) { return false }
        if let topic, !s.topics.contains(where: { Self.folded($0, contains: topic) }) { return false }
        if let state, !(state == "live" || state == "recording" ? s.live : s.state == state) { return false }
        if let title, !title.split(separator: " ").allSatisfy({ Self.folded(s.title, contains: String($0)) }) { return false }
        return true
    }

    static func folded(_ text: String, contains part: String) -> Bool {
        TextFolding.fold(text).contains(TextFolding.fold(part))
    }

    static func nonEmpty(_ value: Substring?) -> String? {
        guard let value = value.map(String.init)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The start of the day `value` (YYYY-MM-DD) in `zone`, or of the next day with `end`.
    static func day(_ value: Substring?, _ name: String, zone: TimeZone, end: Bool = false) throws -> Date? {
        guard let text = nonEmpty(value) else { return nil }
        guard let date = OfficeTime(zone: zone).midnight(of: text, after: end) else {
            throw APIError(.badRequest, key: "error.day", ["name": name, "value": text])
        }
        return date
    }
}

extension Archive {
    /// `text` with the archive's own path left out (`<archive>/…`): answers never tell where the server keeps its files.
    func withoutRoot(_ text: String) -> String {
        text.replacingOccurrences(of: root, with: "<archive>")
    }
}
