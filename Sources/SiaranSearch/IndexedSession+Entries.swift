import Foundation
import SiaranArchive
import SiaranCore

/// One searchable text of a session other than its caption cues: a title, the description, a roster
/// line, an agenda item, a tag. Every engine indexes the same entries.
public struct IndexEntry: Sendable, Equatable {
    public var kind: MatchKind
    /// Where on the session clock it belongs (0 for the session's own texts).
    public var start: Double
    /// Whether the text belongs to a moment (a tag, a run agenda item), so the speaker and agenda
    /// item active then apply to it.
    public var timed: Bool
    public var text: String
}

extension IndexedSession {
    /// The session's entries, in the order they are indexed: titles, description, roster, agenda,
    /// speaker turns (with roles), topics, notes. Texts without words are left out. Agenda items
    /// never tagged count as the session's description (no moment of their own).
    public var entries: [IndexEntry] {
        var entries: [IndexEntry] = []
        func add(_ kind: MatchKind, at start: Double, timed: Bool = true, _ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { entries.append(IndexEntry(kind: kind, start: start, timed: timed, text: trimmed)) }
        }
        add(.title, at: 0, timed: false, manifest.title)
        if let a = agenda {
            if let title = a.title, title != manifest.title { add(.title, at: 0, timed: false, title) }
            add(.description, at: 0, timed: false, [a.description, a.organiser].compactMap { $0 }.joined(separator: " — "))
            for person in a.speakers + a.participants {
                add(.roster, at: 0, timed: false, ([person.name, person.role, person.organisation].compactMap { $0 } + person.aliases).joined(separator: ", "))
            }
            for (index, item) in a.agenda.enumerated() {
                let text = [item.title, item.description].compactMap { $0 }.joined(separator: ". ")
                // An item that was tagged is a moment; one never tagged has none (it must not be a
                // hit at 00:00:00): it is part of the session's own description, a header.
                if let start = timeline.agendaItems.first(where: { $0.agendaNumber == index + 1 })?.start {
                    add(.agenda, at: start, text)
                } else {
                    add(.description, at: 0, timed: false, text)
                }
            }
        }
        for turn in timeline.speakerTurns {
            let role = agenda.flatMap { a in (a.speakers + a.participants).first { $0.name == turn.value } }
            add(.speaker, at: turn.start, [turn.value, role?.role, role?.organisation].compactMap { $0 }.joined(separator: ", "))
        }
        for topic in timeline.topics { add(.topic, at: topic.at, topic.value) }
        for note in timeline.notes { add(.note, at: note.at, note.value) }
        return entries
    }
}

extension IndexedSession {
    /// Appended to a speaker's name when the voices suggest them and no officer confirmed it
    /// ("Ilham Saputra?"): a filter by the name still finds the moment (its words are the name's),
    /// hits show the mark, and `ArchiveSearch` ranks such hits after confirmed ones.
    public static let suggestedMark = "?"

    /// The speaker label a moment is indexed with: who spoke then all told (the officer's tags, else a
    /// named voice suggestion, marked with `suggestedMark`; see `SessionTimeline.effectiveSpeaker`).
    public func speakerLabel(at time: Double) -> String? {
        guard let turn = timeline.effectiveSpeaker(at: time) else { return nil }
        return turn.isSuggested ? turn.value + Self.suggestedMark : turn.value
    }

    /// The roster aliases of a speaker label (a suggested one's too).
    public func rosterAliases(_ label: String) -> [String] {
        let name = label.hasSuffix(Self.suggestedMark) ? String(label.dropLast(Self.suggestedMark.count)) : label
        return agenda.flatMap { a in (a.speakers + a.participants).first { $0.name == name }?.aliases } ?? []
    }

    /// The roster name a caption's voice tag stands for: the person whose name or alias it is
    /// (ignoring case and diacritics); nil when it is nobody on the roster.
    public func rosterName(_ voice: String) -> String? {
        let folded = TextFolding.fold(voice)
        let everyone = agenda.map { $0.speakers + $0.participants } ?? []
        return everyone.first { ([$0.name] + $0.aliases).contains { TextFolding.fold($0) == folded } }?.name
    }
}

extension SearchHit {
    /// Whether the hit's speaker is only suggested by the voices (`IndexedSession.suggestedMark`).
    public var hasSuggestedSpeaker: Bool { speaker?.hasSuffix(IndexedSession.suggestedMark) == true }

    /// `hits` with those whose speaker an officer tagged or confirmed first, each group in its order:
    /// a speaker filter ranks suggested turns below confirmed ones.
    public static func confirmedSpeakersFirst(_ hits: [SearchHit]) -> [SearchHit] {
        hits.filter { !$0.hasSuggestedSpeaker } + hits.filter(\.hasSuggestedSpeaker)
    }
}
