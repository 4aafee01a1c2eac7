import Foundation
import Hummingbird
import SiaranAccounts
import SiaranArchive

/// Tagging from the live console and the session page: the same events `siaran tag` appends (and
/// fsyncs) to the session's `events.jsonl`, by the `tagger` role, with the CSRF token.
struct TagRoutes {
    let archive: Archive
    let gate: Gate

    struct NewTag: Decodable {
        var kind: String
        var value: String
        /// When the button was pressed, in milliseconds since 1970 on the server's clock (the page
        /// maps its own clock with `/api/clock`); the tag lands at the session moment live then.
        var pressedAt: Double?
        /// Or a session moment in seconds (tagging afterwards).
        var at: Double?
    }

    struct Correction: Decodable {
        var action: String
        var at: Double?
        var value: String?
    }

    struct Written: Encodable {
        var event: SessionEvent
        var warnings: [String]
    }

    /// How far in the past a press may be (a phone on a slow network): a minute.
    static let pressWindow: TimeInterval = 60

    func add(to router: Router<SiaranContext>) {
        router.get("/api/sessions/:id/tags") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            return try Reply.json(TagList(archive: archive, id: id))
        }
        router.post("/api/sessions/:id/tags") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let tag = try await request.decodeBody(NewTag.self)
            guard let kind = SessionEvent.Kind(rawValue: tag.kind), [.speaker, .agenda, .topic, .note].contains(kind) else {
                throw APIError(.badRequest, "kind must be speaker, agenda, topic or note, not '\(tag.kind)'")
            }
            let now = Date()
            var pressed = now
            if let ms = tag.pressedAt {
                let at = Date(timeIntervalSince1970: ms / 1000)
                guard at <= now.addingTimeInterval(2), now.timeIntervalSince(at) <= Self.pressWindow else {
                    throw APIError(.badRequest, key: "error.tag.clock", ["seconds": String(Int(Self.pressWindow))])
                }
                pressed = min(at, now)
            }
            do {
                let written = try Tagger(archive: archive).tag(session: id, kind: kind, value: tag.value, at: tag.at, now: pressed,
                                                               author: Self.author(context))
                return try Reply.json(Written(event: written.event, warnings: written.warnings), status: .created)
            } catch let error as TagError {
                throw APIError(error)
            }
        }
        router.post("/api/sessions/:id/tags/:tag") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let target = context.parameters.get("tag") ?? ""
            let correction = try await request.decodeBody(Correction.self)
            let kind: SessionEvent.Kind
            switch correction.action {
            case "delete": kind = .delete
            case "move":
                guard correction.at != nil else { throw APIError(.badRequest, "a move needs 'at' (seconds into the session)") }
                kind = .move
            case "retag": kind = .retag
            default: throw APIError(.badRequest, "action must be delete, move or retag, not '\(correction.action)'")
            }
            do {
                let event = try Tagger(archive: archive).correct(session: id, target: target, kind: kind, moveTo: correction.at,
                                                                 newValue: correction.value, author: Self.author(context))
                return try Reply.json(Written(event: event, warnings: []), status: .created)
            } catch let error as TagError {
                throw APIError(error)
            }
        }
        router.get("/api/clock") { _, _ in
            try Reply.json(["now": (Date().timeIntervalSince1970 * 1000).rounded()])
        }
    }

    static func author(_ context: SiaranContext) -> String {
        "web:" + (context.visitor.name ?? "anonymous")
    }
}

/// The last tags of a session as they stand after corrections, newest first, for undo/move/retag.
struct TagList: Encodable {
    struct Tag: Encodable {
        var id: String
        var kind: String
        var value: String
        var at: Double
        /// Who tagged it (`web:NAME`, or the terminal user of `siaran tag`) and when, as the event log keeps it.
        var author: String?
        var taggedAt: Date?
    }
    var tags: [Tag]

    init(archive: Archive, id: String, limit: Int = 30) {
        let end = (try? archive.loadManifest(id).mediaEnd) ?? 0
        let events = EventLog(path: archive.eventsPath(of: id)).read().events
        let timeline = SessionTimeline(events: events, end: end)
        var all = timeline.speakerTurns.map { Tag(id: $0.id, kind: "speaker", value: $0.value, at: $0.start) }
        all += timeline.agendaItems.map { Tag(id: $0.id, kind: "agenda", value: $0.value, at: $0.start) }
        all += timeline.topics.map { Tag(id: $0.id, kind: "topic", value: $0.value, at: $0.at) }
        all += timeline.notes.map { Tag(id: $0.id, kind: "note", value: $0.value, at: $0.at) }
        let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for index in all.indices {
            all[index].author = byID[all[index].id]?.author
            all[index].taggedAt = byID[all[index].id]?.recordedAt
        }
        tags = Array(all.sorted { $0.at > $1.at }.prefix(limit))
    }
}
