import Foundation
import Yams

/// Writes an agenda back as the YAML file people keep (the format `AgendaFile` reads, unchanged):
/// the fields in the order of the file's documentation, empty ones left out, every text quoted so
/// that a name such as "null", "yes" or "10:00" reads back as written.
extension AgendaFile {
    /// The agenda as agenda-file YAML; `AgendaFile.parse` reads it back to the same agenda (without
    /// `dateChoice`, which is the session's, never the file's).
    public static func yaml(_ agenda: Agenda) throws -> String {
        var root: [(Node, Node)] = []
        func add(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { root.append((plain(key), text(value))) }
        }
        add("title", agenda.title)
        add("organiser", agenda.organiser)
        add("date", agenda.date)
        add("start", agenda.start)
        add("end", agenda.end)
        add("place", agenda.place)
        add("language", agenda.language)
        add("description", agenda.description)
        if !agenda.speakers.isEmpty { root.append((plain("speakers"), .sequence(.init(agenda.speakers.map(person))))) }
        if !agenda.participants.isEmpty { root.append((plain("participants"), .sequence(.init(agenda.participants.map(person))))) }
        if !agenda.agenda.isEmpty {
            root.append((plain("agenda"), .sequence(.init(agenda.agenda.map { item in
                var fields: [(Node, Node)] = [(plain("title"), text(item.title))]
                if let description = item.description, !description.isEmpty { fields.append((plain("description"), text(description))) }
                if !item.speakers.isEmpty { fields.append((plain("speakers"), .sequence(.init(item.speakers.map(text), .implicit, .flow)))) }
                if let start = item.plannedStart, !start.isEmpty { fields.append((plain("start"), text(start))) }
                return .mapping(.init(fields))
            }))))
        }
        if root.isEmpty { return "{}\n" }
        return try Yams.serialize(node: .mapping(.init(root)), allowUnicode: true)
    }

    static func person(_ p: Person) -> Node {
        var fields: [(Node, Node)] = [(plain("name"), text(p.name))]
        if let role = p.role, !role.isEmpty { fields.append((plain("role"), text(role))) }
        if let organisation = p.organisation, !organisation.isEmpty { fields.append((plain("organisation"), text(organisation))) }
        if !p.aliases.isEmpty { fields.append((plain("aliases"), .sequence(.init(p.aliases.map(text), .implicit, .flow)))) }
        return .mapping(.init(fields))
    }

    static func plain(_ key: String) -> Node { .scalar(.init(key, .implicit, .plain)) }
    static func text(_ value: String) -> Node { .scalar(.init(value, .implicit, .doubleQuoted)) }
}
