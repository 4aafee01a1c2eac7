import Foundation
import HTTPTypes
import Hummingbird
import SiaranArchive
import SiaranCore
import Synchronization

/// The agenda and roster built in the page (`/sessions/ID/agenda`, `/agenda`): read and save a
/// session's agenda as JSON (the editor's model), import and export the YAML file (its format
/// unchanged), and suggest people from earlier sessions' rosters. Reading needs `viewer`; saving
/// and importing need `tagger` and the CSRF token; a save is checked exactly as a YAML file is
/// (the agenda goes through `AgendaFile.yaml` and back through `AgendaFile.parse`) and logged.
struct AgendaRoutes {
    let archive: Archive
    let gate: Gate
    /// Every session's roster, read once per change of the archive: suggestions are asked at each keystroke.
    let rosters = RosterCache()

    struct YAMLText: Decodable { var yaml: String }

    /// One person suggested for a roster: the latest role and organisation they had, and in how many sessions.
    struct Suggestion: Encodable, Equatable {
        var name: String
        var role: String?
        var organisation: String?
        var sessions: Int
    }

    func add(to router: Router<SiaranContext>) {
        router.get("/api/sessions/:id/agenda") { request, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let agenda = archive.loadAgenda(id) ?? Agenda()
            if request.form["format"].map(String.init) == "yaml" {
                return Reply.text(try AgendaFile.yaml(agenda), type: "application/yaml; charset=utf-8", download: "\(id)-agenda.yaml")
            }
            return try Reply.json(agenda)
        }
        router.put("/api/sessions/:id/agenda") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            var agenda = try Self.checked(try await request.decodeBody(Agenda.self, limit: 256 * 1024))
            let old = archive.loadAgenda(id)
            // The officer's choice between the agenda's and the recording's day stands while the date does.
            if old?.date == agenda.date { agenda.dateChoice = old?.dateChoice }
            try EventLog(path: archive.eventsPath(of: id)).append(SessionEvent(kind: .session, value: "agenda", author: TagRoutes.author(context)))
            try archive.saveAgenda(agenda, of: id)
            return try Reply.json(agenda)
        }
        router.post("/api/agenda/yaml") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let text = try await request.decodeBody(YAMLText.self, limit: 300 * 1024).yaml
            do { return try Reply.json(try AgendaFile.parse(text, file: "agenda.yaml")) } catch {
                throw APIError(.unprocessableContent, key: "error.agenda.file", ["reason": "\(error)"])
            }
        }
        router.post("/api/agenda/export") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let agenda = try Self.checked(try await request.decodeBody(Agenda.self, limit: 256 * 1024))
            return Reply.text(try AgendaFile.yaml(agenda), type: "application/yaml; charset=utf-8", download: "agenda.yaml")
        }
        router.get("/api/people") { request, context in
            try gate.require(.tagger, context)
            let typed = request.form["q"].map(String.init) ?? ""
            // A user of another office is suggested only people of the sessions that office may see.
            return try Reply.json(["people": suggestions(typed, among: context.visibleSessions)])
        }
    }

    /// `agenda` checked as the YAML file would be (names on the agenda's items must be on the roster,
    /// times and dates well formed…): the agenda as read back, or a 422 that says what is wrong.
    static func checked(_ agenda: Agenda) throws -> Agenda {
        do { return try AgendaFile.parse(try AgendaFile.yaml(agenda), file: "agenda") } catch let error as AgendaFileError {
            throw APIError(.unprocessableContent, key: "error.agenda.invalid", ["reason": error.message])
        } catch {
            throw APIError(.unprocessableContent, key: "error.agenda.invalid", ["reason": "it cannot be written as an agenda file (\(error))"])
        }
    }

    /// People from every session's roster whose name or organisation contains `typed` (all when
    /// empty), most sessions first, at most 50; a person's latest role and organisation win.
    func suggestions(_ typed: String, among visible: Set<String>? = nil) -> [Suggestion] {
        let query = TextFolding.fold(typed).trimmingCharacters(in: .whitespaces)
        var byName: [String: Suggestion] = [:]
        for roster in rosters.all(in: archive) where visible?.contains(roster.id) != false {  // oldest first: later rosters overwrite roles
            for person in roster.people {
                let key = TextFolding.fold(person.name)
                guard !key.isEmpty else { continue }
                var entry = byName[key] ?? Suggestion(name: person.name, sessions: 0)
                entry.sessions += 1
                entry.role = person.role ?? entry.role
                entry.organisation = person.organisation ?? entry.organisation
                byName[key] = entry
            }
        }
        return byName.values.filter { query.isEmpty || TextFolding.fold($0.name + " " + ($0.organisation ?? "")).contains(query) }
            .sorted { ($0.sessions, $1.name) > ($1.sessions, $0.name) }.prefix(50).map { $0 }
    }
}

/// The rosters of the archive's sessions, oldest first, kept until the archive's change marker moves
/// (saving an agenda, importing or deleting a session all move it).
final class RosterCache: Sendable {
    typealias Roster = (id: String, people: [Person])
    private let kept = Mutex<(marker: String, rosters: [Roster])?>(nil)

    func all(in archive: Archive) -> [Roster] {
        let marker = archive.changeMarker()
        if let kept = kept.withLock({ $0 }), kept.marker == marker { return kept.rosters }
        let rosters: [Roster] = archive.sessionIDs().compactMap { id in
            archive.loadAgenda(id).map { (id, $0.speakers + $0.participants) }
        }
        kept.withLock { $0 = (marker, rosters) }
        return rosters
    }
}
