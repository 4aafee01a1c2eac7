import Foundation
import SiaranCore

/// Everything about one session that `show` and `report` present: manifest, agenda, timeline.
public struct SessionDetails: Codable, Sendable {
    public var session: SessionManifest
    public var agenda: Agenda?
    public var timeline: SessionTimeline
    /// Lines of events.jsonl that could not be read.
    public var unreadableEventLines: [Int]
    /// The session's caption files; a machine transcript says which engine made it.
    public var captions: [CaptionFile] = []
    /// Retention never deletes it (`SessionManager.pin`).
    public var pinned = false

    /// One caption file of the session.
    public struct CaptionFile: Codable, Sendable, Equatable {
        public var name: String
        /// For a machine transcript (speech-to-text): its `NOTE machine transcript` line, naming
        /// the engine, model, language and date; nil for human captions.
        public var machineTranscript: String?
    }

    /// Loads session `id` from `archive`.
    public init(archive: Archive, id: String) throws {
        session = try archive.loadManifest(id)
        agenda = archive.loadAgenda(id)
        let log = EventLog(path: archive.eventsPath(of: id)).read()
        timeline = SessionTimeline(events: log.events, end: session.mediaEnd)
        unreadableEventLines = log.bad.map(\.line)
        pinned = SessionManager.pinned(in: log.events)
        captions = archive.captionFiles(of: id).map { path in
            CaptionFile(name: (path as NSString).lastPathComponent, machineTranscript: Self.machineNote(path))
        }
    }

    /// The `NOTE machine transcript …` line near the top of a caption file, without "NOTE ".
    static func machineNote(_ path: String) -> String? {
        guard (path as NSString).lastPathComponent == Archive.machineTranscriptName || LiveCaptionLines.isLive(path),
              let data = try? PlainFile.read(path) else { return nil }
        let head = String(decoding: data.prefix(1024), as: UTF8.self)
        guard let line = head.split(separator: "\n").first(where: { $0.hasPrefix("NOTE machine transcript") || $0.hasPrefix("NOTE live captions") }) else {
            return "machine transcript"
        }
        return String(line.dropFirst(5))
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

    /// What a report says of the session's text: human captions, a machine transcript, or both.
    public var transcriptLine: String? {
        let human = captions.filter { $0.machineTranscript == nil }.count
        let machine = captions.first { $0.machineTranscript != nil }?.machineTranscript
        switch (human > 0, machine) {
        case (false, nil): return nil
        case (true, nil): return "captions"
        case let (false, note?): return note
        case let (true, note?): return "captions, and a \(note)"
        }
    }

    /// The session title (given at record time, else the agenda's).
    public var title: String { session.title }
}
