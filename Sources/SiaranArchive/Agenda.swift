import Foundation
import SiaranCore

/// A person on the roster: a speaker (who may take the floor) or a participant.
public struct Person: Codable, Sendable, Equatable {
    public var name: String
    public var role: String?
    public var organisation: String?
    /// Other names a tagger may type ("Ketua", "Pak Ilham").
    public var aliases: [String]

    public init(name: String, role: String? = nil, organisation: String? = nil, aliases: [String] = []) {
        self.name = name
        self.role = role
        self.organisation = organisation
        self.aliases = aliases
    }
}

/// One item of the agenda.
public struct AgendaItem: Codable, Sendable, Equatable {
    public var title: String
    public var description: String?
    /// Names of the speakers planned for this item.
    public var speakers: [String]
    /// Planned start, as written ("10:00", "2021-09-15T10:00:00+08:00").
    public var plannedStart: String?

    public init(title: String, description: String? = nil, speakers: [String] = [], plannedStart: String? = nil) {
        self.title = title
        self.description = description
        self.speakers = speakers
        self.plannedStart = plannedStart
    }
}

/// The agenda/roster file of an event: what it is, who speaks, who attends, what is on the agenda.
/// Stored with the session as `agenda.json`; written by people as YAML (see `AgendaFile`).
public struct Agenda: Codable, Sendable, Equatable {
    public var title: String?
    public var organiser: String?
    /// The event's date as written (YYYY-MM-DD).
    public var date: String?
    /// When the event begins and ends on its date ("09:00 WIB"; see `EventTime`).
    public var start: String?
    public var end: String?
    /// Where it is held, for the news post's dateline ("Jakarta").
    public var place: String?
    public var description: String?
    /// BCP 47 language of the event ("id" for Indonesian).
    public var language: String?
    public var speakers: [Person]
    public var participants: [Person]
    public var agenda: [AgendaItem]
    /// When the agenda's date differs from the recording's: which one the officer chose to stand
    /// (see `AgendaDateCheck`). Kept in the session's agenda.json, never in the YAML file; attaching
    /// another agenda file clears it.
    public var dateChoice: AgendaDateCheck.Choice?

    public init(title: String? = nil, organiser: String? = nil, date: String? = nil, description: String? = nil,
                language: String? = nil, speakers: [Person] = [], participants: [Person] = [], agenda: [AgendaItem] = []) {
        self.title = title
        self.organiser = organiser
        self.date = date
        self.description = description
        self.language = language
        self.speakers = speakers
        self.participants = participants
        self.agenda = agenda
    }

    /// How a typed name matched the roster.
    public enum NameMatch: Equatable, Sendable {
        case speaker(Person)
        case participant(Person)
        case ambiguous([String])
        case unknown
    }

    /// Finds who `typed` means: exact name or alias first, then a unique name that contains it,
    /// ignoring case and diacritics.
    public func person(named typed: String) -> NameMatch {
        let query = TextFolding.fold(typed).trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { return .unknown }
        let everyone = speakers.map { (NameMatch.speaker($0), $0) } + participants.map { (NameMatch.participant($0), $0) }
        if let exact = everyone.first(where: { ([$0.1.name] + $0.1.aliases).contains { TextFolding.fold($0) == query } }) {
            return exact.0
        }
        let partial = everyone.filter { entry in
            ([entry.1.name] + entry.1.aliases).contains { TextFolding.fold($0).split(separator: " ").contains { $0.hasPrefix(query) } || TextFolding.fold($0).contains(query) }
        }
        if partial.count == 1 { return partial[0].0 }
        if partial.count > 1 { return .ambiguous(partial.map(\.1.name)) }
        return .unknown
    }

    /// The speaker at 1-based position `number` on the roster.
    public func speaker(number: Int) -> Person? {
        number >= 1 && number <= speakers.count ? speakers[number - 1] : nil
    }

    /// The agenda item `typed` names: its 1-based number, or a unique (part of its) title.
    public func agendaItem(_ typed: String) -> (number: Int, item: AgendaItem)? {
        if let number = Int(typed.trimmingCharacters(in: .whitespaces)) {
            return number >= 1 && number <= agenda.count ? (number, agenda[number - 1]) : nil
        }
        let query = TextFolding.fold(typed)
        let matches = agenda.enumerated().filter { TextFolding.fold($0.element.title).contains(query) }
        if let exact = matches.first(where: { TextFolding.fold($0.element.title) == query }) { return (exact.offset + 1, exact.element) }
        return matches.count == 1 ? (matches[0].offset + 1, matches[0].element) : nil
    }
}
