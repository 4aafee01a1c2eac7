import Foundation
import SiaranCore

/// The brief a public-relations officer pastes into a news post, as Markdown or one self-contained
/// HTML file: in Indonesian unless English is asked for, dates and times in the office's zone.
public enum SessionReport {
    /// What the report says, in order, as plain text: the one structure the Markdown, the HTML and the
    /// Word document (`WordDocument.report`) are rendered from, each escaping it in its own way.
    public struct Outline: Sendable, Equatable {
        /// One fact of the opening line: "Tanggal: Rabu, 15 September 2021".
        public struct Fact: Sendable, Equatable {
            public var label: String
            public var value: String
        }

        /// A section under its heading.
        public enum Section: Sendable, Equatable {
            /// Column names and rows. The agenda's may have no rows (an agenda file with no items while
            /// items were tagged): Markdown shows its head, HTML and Word leave the section out.
            case table(String, header: [String], rows: [[String]])
            case bullets(String, [String])
            case text(String, String)
        }

        public var title: String
        public var facts: [Fact]
        public var description: String?
        public var sections: [Section]
    }

    /// The report of `d` in `language` (Indonesian unless asked), with dates and times in `zone`.
    public static func outline(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> Outline {
        let w = Words(language)
        var facts: [Outline.Fact] = []
        if let date = eventDate(d, language: language, zone: zone) { facts.append(.init(label: w.date, value: date)) }
        if let organiser = d.agenda?.organiser { facts.append(.init(label: w.organiser, value: organiser)) }
        facts.append(.init(label: w.recording, value: recordingLine(d, language: language, zone: zone)))
        if let transcript = transcriptLine(d, language: language) { facts.append(.init(label: w.transcript, value: transcript)) }
        var sections: [Outline.Section] = []
        let spoke = d.timeline.effectiveSpeakingTime
        if !spoke.isEmpty {
            sections.append(.table(w.whoSpoke, header: [w.speaker, w.role, w.speakingTime],
                                   rows: spoke.map { [$0.name, d.roleLine($0.name), spokenFor($0, w)] }))
        }
        if let items = d.agenda?.agenda, !items.isEmpty || !d.timeline.agendaItems.isEmpty {
            sections.append(.table(w.agenda, header: ["#", w.item, w.start, w.end, w.speakers], rows: items.enumerated().map { index, item in
                let runs = d.timeline.agendaItems.filter { $0.agendaNumber == index + 1 }
                return [String(index + 1), item.title, runs.first.map { Format.clock($0.start) } ?? "—",
                        runs.last.map { Format.clock($0.end) } ?? "—", item.speakers.joined(separator: ", ")]
            }))
        }
        if let participants = d.agenda?.participants, !participants.isEmpty {
            sections.append(.bullets(w.participants, participants.map { p in
                let role = [p.role, p.organisation].compactMap { $0 }.joined(separator: ", ")
                return p.name + (role.isEmpty ? "" : " — \(role)")
            }))
        }
        if !d.timeline.topics.isEmpty {
            sections.append(.text(w.topics, d.timeline.topics.map { "\($0.value) (\(Format.clock($0.at)))" }.joined(separator: ", ")))
        }
        if !d.timeline.notes.isEmpty {
            sections.append(.bullets(w.notes, d.timeline.notes.map { "\(Format.clock($0.at)) \($0.value)" }))
        }
        return Outline(title: d.title, facts: facts, description: d.agenda?.description, sections: sections)
    }

    /// The brief as Markdown, in `language` (Indonesian unless asked), with dates and times in `zone`.
    public static func markdown(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> String {
        let report = outline(d, language: language, zone: zone)
        var out = ["# \(inline(report.title))\n", report.facts.map { "**\($0.label):** \(inline($0.value))" }.joined(separator: " · ") + "\n"]
        if let description = report.description { out.append(lineStart(inline(description)) + "\n") }
        for section in report.sections {
            switch section {
            case let .table(heading, header, rows):
                out += ["## \(heading)\n", "| " + header.joined(separator: " | ") + " |", "|" + String(repeating: " --- |", count: header.count)]
                out += rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" } + [""]
            case let .bullets(heading, items):
                out += ["## \(heading)\n"] + items.map { "- " + inline($0) } + [""]
            case let .text(heading, text):
                out += ["## \(heading)\n", lineStart(inline(text)) + "\n"]
            }
        }
        return out.joined(separator: "\n")
    }

    /// The brief as one self-contained HTML file, in `language`, with dates and times in `zone`.
    public static func html(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> String {
        let report = outline(d, language: language, zone: zone)
        var body = ["<h1>\(escape(report.title))</h1>",
                    "<p class=\"facts\">" + report.facts.map { "<b>\($0.label):</b> \(escape($0.value))" }.joined(separator: " · ") + "</p>"]
        if let description = report.description { body.append("<p>\(escape(description))</p>") }
        for section in report.sections {
            switch section {
            case let .table(heading, header, rows):
                guard !rows.isEmpty else { continue }
                body.append("<h2>\(heading)</h2><table><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr>")
                body += rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" } + ["</table>"]
            case let .bullets(heading, items):
                body += ["<h2>\(heading)</h2><ul>"] + items.map { "<li>\(escape($0))</li>" } + ["</ul>"]
            case let .text(heading, text):
                body.append("<h2>\(heading)</h2><p>\(escape(text))</p>")
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(d.title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
        .facts{color:#555}</style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    /// "Rabu, 15 September 2021": the event's day, the agenda's or the recording's as `AgendaDateCheck` says.
    static func eventDate(_ d: SessionDetails, language: OfficeLanguage, zone: TimeZone) -> String? {
        d.eventDay(zone: zone).map { OfficeTime(zone: zone).date($0, language: language) }
    }

    /// "00:00:40, mulai 09.00 WIB (sesi ID)": the recording's length, its start in the office's zone
    /// (with its date when that is not the event's day), and the session id.
    static func recordingLine(_ d: SessionDetails, language: OfficeLanguage, zone: TimeZone) -> String {
        let w = Words(language)
        let time = OfficeTime(zone: zone)
        var line = Format.clock(d.session.mediaDuration)
        if let start = d.session.startedAt {
            let sameDay = d.eventDay(zone: zone).map { time.day($0) == time.day(start) } ?? true
            let when = sameDay ? time.clock(start, language: language) + " " + time.zoneName(at: start, language: language) : time.dateTime(start, language: language)
            line += ", \(w.from) \(when)"
        }
        return line + " (\(w.session) \(d.session.id))"
    }

    /// What the session's text is, in `language`: captions, a machine transcript (its engine line), or both.
    static func transcriptLine(_ d: SessionDetails, language: OfficeLanguage) -> String? {
        guard language == .indonesian else { return d.transcriptLine }
        let human = d.captions.contains { $0.machineTranscript == nil }
        let machine = d.captions.first { $0.machineTranscript != nil }?.machineTranscript
        switch (human, machine) {
        case (false, nil): return nil
        case (true, nil): return "takarir"
        case let (false, note?): return note
        case let (true, note?): return "takarir, dan \(note)"
        }
    }

    /// A person's speaking time, and how much of it only the voices suggest (no officer confirmed it):
    /// "12:30 (05:00 menurut suara, belum dikonfirmasi)".
    static func spokenFor(_ entry: (name: String, seconds: Double, suggested: Double), _ w: Words) -> String {
        Format.clock(entry.seconds) + (entry.suggested >= 1 ? " (\(Format.clock(entry.suggested)) \(w.suggestedByVoice))" : "")
    }

    /// The report's headings and labels.
    struct Words {
        let date, organiser, recording, transcript, whoSpoke, speaker, role, speakingTime, agenda, item, start, end,
            speakers, participants, topics, notes, from, session, suggestedByVoice: String

        init(_ language: OfficeLanguage) {
            switch language {
            case .indonesian:
                (date, organiser, recording, transcript) = ("Tanggal", "Penyelenggara", "Rekaman", "Transkrip")
                (whoSpoke, speaker, role, speakingTime) = ("Yang berbicara", "Pembicara", "Jabatan", "Lama berbicara")
                (agenda, item, start, end, speakers) = ("Agenda", "Acara", "Mulai", "Selesai", "Pembicara")
                (participants, topics, notes, from, session) = ("Peserta", "Topik", "Catatan", "mulai", "sesi")
                suggestedByVoice = "menurut suara, belum dikonfirmasi"
            case .english:
                (date, organiser, recording, transcript) = ("Date", "Organiser", "Recording", "Transcript")
                (whoSpoke, speaker, role, speakingTime) = ("Who spoke", "Speaker", "Role", "Speaking time")
                (agenda, item, start, end, speakers) = ("Agenda", "Item", "Start", "End", "Speakers")
                (participants, topics, notes, from, session) = ("Participants", "Topics", "Notes", "from", "session")
                suggestedByVoice = "suggested from the voices, unconfirmed"
            }
        }
    }

    static func escape(_ text: String) -> String {
        TerminalText.safe(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Text from the session as one line of Markdown that renders as that text and nothing else:
    /// no raw HTML (`<script>`, `<img onerror>`), no links or images (`[x](javascript:…)`), no
    /// emphasis or headings from a pasted title, no control characters; line breaks become spaces.
    /// Only what Markdown reads as markup is escaped: `(` and `)` need no backslash once `[` and
    /// `]` have one (no link can form), so "(Bakohumas)" stays as written.
    static func inline(_ text: String) -> String {
        markdownLine(text, escaping: "\\`*_[]#|~")
    }

    /// `line` made safe at the start of a Markdown line: a leading `#`, `-`, `+`, `=`, `|` or
    /// "1." / "1)" would make a heading, list item or table; a backslash keeps it text.
    static func lineStart(_ line: String) -> String {
        if let first = line.first, "#-+=|".contains(first) { return "\\" + line }
        let digits = line.prefix(while: \.isNumber).count
        if digits > 0, let after = line.dropFirst(digits).first, after == "." || after == ")" {
            return String(line.prefix(digits)) + "\\" + line.dropFirst(digits)
        }
        return line
    }

    /// One line of `text` as Markdown: control characters and line breaks gone, `&`, `<`, `>` as
    /// entities, and each character of `specials` backslash-escaped.
    static func markdownLine(_ text: String, escaping specials: String) -> String {
        var out = ""
        for character in TerminalText.safe(text, keepLineBreaks: false) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case _ where specials.contains(character): out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// A table cell: inline text (`|` escaped there too).
    static func cell(_ text: String) -> String { inline(text) }
}
