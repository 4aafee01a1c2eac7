import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive

/// Admins manage whole sessions: rename, edit the description, delete to the trash and restore
/// from it (`SessionManager`). Every write needs `admin` and the CSRF token, is refused for a
/// session being recorded, and is an event with its author in the session's log.
struct ManageRoutes {
    let archive: Archive
    let gate: Gate

    var manager: SessionManager { SessionManager(archive: archive) }

    struct NewTitle: Decodable { var title: String }
    struct NewDescription: Decodable { var description: String? }
    struct Join: Decodable { var with: String }

    func add(to router: Router<SiaranContext>) {
        router.put("/api/sessions/:id/title") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(NewTitle.self)
            try Self.answer { try manager.rename(id, to: wanted.title, by: TagRoutes.author(context)) }
            return try Reply.json(["id": id, "title": try archive.loadManifest(id).title])
        }
        router.put("/api/sessions/:id/description") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(NewDescription.self)
            try Self.answer { try manager.describe(id, as: wanted.description, by: TagRoutes.author(context)) }
            return try Reply.json(["id": id, "description": archive.loadAgenda(id)?.description])
        }
        router.delete("/api/sessions/:id") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            try Self.answer { try manager.trash(id, by: TagRoutes.author(context)) }
            return try Reply.json(view())
        }
        router.post("/api/sessions/:id/merge") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let other = try SessionRoutes.session(try await request.decodeBody(Join.self).with, in: archive)
            guard context.visibleSessions?.contains(other) != false else { throw APIError(.notFound, key: "error.noSession", ["id": other]) }
            var joined = ""
            try Self.answer { joined = try manager.merge(id, other, by: TagRoutes.author(context)) }
            return try Reply.json(["id": joined, "title": try archive.loadManifest(joined).title], status: .created)
        }
        router.get("/api/trash") { _, context in
            try gate.requireAccount(.admin, context)
            return try Reply.json(view())
        }
        router.post("/api/trash/:id/restore") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = context.parameters.get("id") ?? ""
            try Self.answer { try manager.restore(id, by: TagRoutes.author(context)) }
            return try Reply.json(view())
        }
    }

    /// `GET /api/trash`: the deleted sessions, and how many days each is kept.
    struct TrashView: Encodable {
        var trash: [SessionManager.TrashedSession]
        var days: Int
    }

    func view() -> TrashView { TrashView(trash: manager.trash(), days: SessionManager.trashDays) }

    /// Runs a change, turning the manager's refusals into answers in the visitor's language.
    static func answer(_ change: () throws -> Void) throws {
        do { try change() } catch let error as ManageError {
            switch error {
            case let .recording(id): throw APIError(.conflict, key: "error.manage.recording", ["id": id])
            case let .badTitle(length): throw APIError(.unprocessableContent, key: "error.manage.title", ["length": String(length)])
            case let .longDescription(limit): throw APIError(.contentTooLarge, key: "error.manage.description", ["limit": String(limit)])
            case let .inTrashAlready(id): throw APIError(.conflict, key: "error.manage.inTrash", ["id": id])
            case let .notInTrash(id): throw APIError(.notFound, key: "error.manage.notInTrash", ["id": id])
            case let .idTaken(id): throw APIError(.conflict, key: "error.manage.idTaken", ["id": id])
            case .mergeSame: throw APIError(.unprocessableContent, key: "error.manage.mergeSame")
            case let .mergeFormats(a, b): throw APIError(.unprocessableContent, key: "error.manage.mergeFormats", ["a": a, "b": b])
            }
        }
    }
}
