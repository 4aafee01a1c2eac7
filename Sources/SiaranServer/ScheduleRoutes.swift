import Foundation
import Hummingbird
import SiaranAccounts
import SiaranArchive
import SiaranCore

/// Scheduled recordings: viewers see the schedule (sources without their keys); admins schedule a
/// briefing from a form or its agenda file (date + start), and cancel one.
struct ScheduleRoutes {
    let archive: Archive
    let gate: Gate
    let scheduler: RecordingScheduler

    var store: ScheduleStore { ScheduleStore(archive: archive) }

    struct NewRecording: Decodable {
        var url: String
        var title: String?
        /// ISO 8601 moments; without `start`, the agenda's date and start are used.
        var start: String?
        var end: String?
        /// Seconds before the start and after the end (defaults: 5 and 30 minutes).
        var preRoll: Double?
        var overrun: Double?
        /// The agenda/roster file's YAML text.
        var agenda: String?
        var listen: Bool?
    }

    /// The sources a schedule may name: a page (resolved by yt-dlp), HLS, RTMP, RTSP, SRT, MPEG-TS.
    static let allowedSchemes = SourceAddress.networkSchemes

    /// Without an end anywhere, a briefing is taken to last two hours.
    static let usualLength: TimeInterval = 2 * 3600

    func add(to router: Router<SiaranContext>) {
        router.get("/api/schedule") { _, context in
            // The schedule names accounts and upcoming briefings: signed-in users only, even with --public.
            try gate.requireAccount(.viewer, context)
            let recordings = try store.load().sorted { ($0.start, $0.id) > ($1.start, $1.id) }
            return try Reply.json(["recordings": recordings.map(ScheduleView.init)])
        }
        router.post("/api/schedule") { request, context in
            try gate.requireWrite(.admin, request, context)
            let wanted = try await request.decodeBody(NewRecording.self, limit: 256 * 1024)
            let (recording, agendaText) = try Self.recording(from: wanted, by: TagRoutes.author(context))
            do {
                let added = try store.add(recording, agendaText: agendaText)
                await scheduler.tick()
                let current = try store.load().first { $0.id == added.id } ?? added
                return try Reply.json(ScheduleView(current), status: .created)
            } catch let error as ScheduleError {
                throw APIError(error)
            }
        }
        router.post("/api/schedule/:id/cancel") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = context.parameters.get("id") ?? ""
            do {
                return try Reply.json(ScheduleView(try await scheduler.cancel(id, by: TagRoutes.author(context))))
            } catch let error as ScheduleError {
                throw APIError(error, status: .notFound)
            }
        }
    }

    /// The recording a form or API call asks for, checked: times, the agenda file, the address.
    static func recording(from wanted: NewRecording, by author: String, now: Date = Date()) throws -> (ScheduledRecording, String?) {
        let url = wanted.url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { throw APIError(.badRequest, key: "error.schedule.noURL") }
        guard url.hasPrefix("-") == false else { throw APIError(.badRequest, key: "error.schedule.dash") }
        guard url.count <= 4096, !url.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "\0" }) else {
            throw APIError(.badRequest, key: "error.schedule.spaces")
        }
        // Only network sources: a schedule must never make the server read its own files
        // (file:, concat:, subfile:, a bare path) into a session that viewers can watch.
        let scheme = url.range(of: "://").map { url[..<$0.lowerBound].lowercased() } ?? ""
        guard allowedSchemes.contains(scheme) else {
            throw APIError(.badRequest, key: "error.schedule.network", ["schemes": allowedSchemes.sorted().joined(separator: ", ")])
        }
        var agenda: Agenda?
        var agendaText: String?
        if let text = wanted.agenda, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do { agenda = try AgendaFile.parse(text, file: "agenda") } catch {
                throw APIError(.unprocessableContent, key: "error.schedule.agenda", ["reason": "\(error)"])
            }
            agendaText = text
        }
        guard let start = try moment(wanted.start, "start", agenda?.date, agenda?.start) else {
            throw APIError(.badRequest, key: "error.schedule.noStart")
        }
        let end = try moment(wanted.end, "end", agenda?.date, agenda?.end) ?? start.addingTimeInterval(usualLength)
        for (name, value) in [("preRoll", wanted.preRoll), ("overrun", wanted.overrun)] {
            if let value, !value.isFinite { throw APIError(.badRequest, "\(name) must be a number of seconds") }
        }
        let title = [wanted.title, agenda?.title].compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty } ?? "Briefing"
        // One line: a title goes into the log, the page and the session; its line breaks and control characters become spaces.
        let oneLine = String(String.UnicodeScalarView(title.unicodeScalars.map { OneLineLogHandler.isControl($0) ? " " : $0 }))
        let recording = ScheduledRecording(id: ScheduleStore.newID(), title: String(oneLine.prefix(300)), source: url, listen: wanted.listen ?? false,
                                           start: start, end: end, preRoll: wanted.preRoll ?? 300, overrun: wanted.overrun ?? 1800,
                                           createdBy: author, createdAt: now)
        return (recording, agendaText)
    }
}

extension ScheduleRoutes {
    /// A moment given as ISO 8601 text, else the agenda's `day` at its `time`, else nil.
    static func moment(_ text: String?, _ name: String, _ day: String?, _ time: String?) throws -> Date? {
        if let text, !text.isEmpty {
            guard let date = ISO8601.parse(text) else { throw APIError(.badRequest, "\(name) must be an ISO 8601 moment (2026-12-03T09:00:00+07:00), not '\(text)'") }
            return date
        }
        guard let day, let time = time.flatMap(EventTime.init) else { return nil }
        return time.on(day)
    }
}

/// One scheduled recording as the API and the schedule page show it (the source without its keys).
struct ScheduleView: Encodable {
    var id: String
    var title: String
    var source: String
    var listen: Bool
    var start: Date
    var end: Date
    var preRoll: Double
    var overrun: Double
    var recordFrom: Date
    var recordUntil: Date
    var state: String
    var reason: String?
    var sessions: [String]
    var restarts: Int
    var hasAgenda: Bool
    var createdBy: String?

    init(_ r: ScheduledRecording) {
        id = r.id
        title = r.title
        source = r.redactedSource
        listen = r.listen
        start = r.start
        end = r.end
        preRoll = r.preRoll
        overrun = r.overrun
        recordFrom = r.recordFrom
        recordUntil = r.recordUntil
        state = r.state.rawValue
        reason = r.reason.map(Redaction.redactText)
        sessions = r.sessions
        restarts = r.restarts
        hasAgenda = r.agendaFile != nil
        createdBy = r.createdBy
    }
}
