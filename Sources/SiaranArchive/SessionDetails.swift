import Foundation
import SiaranCore

/// Everything about one session that `show` and `report` present: manifest, agenda, timeline.
public struct SessionDetails: Codable, Sendable {
    public var session: SessionManifest
    public var agenda: Agenda?
    public var timeline: SessionTimeline
    /// Lines of events.jsonl that could not be read.
    public var unreadableEventLines: [Int]

    /// Loads session `id` from `archive`.
    public init(archive: Archive, id: String) throws {
        session = try archive.loadManifest(id)
        agenda = archive.loadAgenda(id)
        let log = EventLog(path: archive.eventsPath(of: id)).read()
        timeline = SessionTimeline(events: log.events, end: session.mediaEnd)
        unreadableEventLines = log.bad.map(\.line)
    }

    /// The roster entry of a speaker, if any.
    public func person(_ name: String) -> Person? {
        guard let agenda else { return nil }
        return (agenda.speakers + agenda.participants).first { $0.name == name }
    }

    /// "Ketua KPU RI, KPU RI"
    public func roleLine(_ name: String) -> String {
        guard let p = person(name) else { return "" }
        return [p.role, p.organisation].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// The session title (given at record time, else the agenda's).
    public var title: String { session.title }
}
