import Foundation
import SiaranCore

/// The brief a public-relations officer pastes into a news post, as Markdown or one self-contained
/// HTML file: in Indonesian unless English is asked for, dates and times in the office's zone.
public enum SessionReport {
    /// The brief as Markdown, in `language` (Indonesian unless asked), with dates and times in `zone`.
    public static func markdown(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> String {
        let w = Words(language)
        var out: [String] = []
        out.append("# \(inline(d.title))\n")
        var facts: [String] = []
        if let date = eventDate(d, language: language, zone: zone) { facts.append("**\(w.date):** \(inline(date))") }
        if let organiser = d.agenda?.organiser { facts.append("**\(w.organiser):** \(inline(organiser))") }
        facts.append("**\(w.recording):** \(recordingLine(d, language: language, zone: zone, escape: inline))")
        if let transcript = transcriptLine(d, language: language) { facts.append("**\(w.transcript):** \(inline(transcript))") }
        out.append(facts.joined(separator: " · ") + "\n")
        if let description = d.agenda?.description { out.append(lineStart(inline(description)) + "\n") }

        let spoke = d.timeline.effectiveSpeakingTime
        if !spoke.isEmpty {
            out.append("## \(w.whoSpoke)\n")
            out.append("| \(w.speaker) | \(w.role) | \(w.speakingTime) |")
            out.append("| --- | --- | --- |")
            for entry in spoke { out.append("| \(cell(entry.name)) | \(cell(d.roleLine(entry.name))) | \(spokenFor(entry, w)) |") }
            out.append("")
        }
        if let items = d.agenda?.agenda, !items.isEmpty || !d.timeline.agendaItems.isEmpty {
            out.append("## \(w.agenda)\n")
            out.append("| # | \(w.item) | \(w.start) | \(w.end) | \(w.speakers) |")
            out.append("| --- | --- | --- | --- | --- |")
            for (index, item) in items.enumerated() {
                let runs = d.timeline.agendaItems.filter { $0.agendaNumber == index + 1 }
                let start = runs.first.map { Format.clock($0.start) } ?? "—"
                let end = runs.last.map { Format.clock($0.end) } ?? "—"
                out.append("| \(index + 1) | \(cell(item.title)) | \(start) | \(end) | \(cell(item.speakers.joined(separator: ", "))) |")
            }
            out.append("")
        }
        if let participants = d.agenda?.participants, !participants.isEmpty {
            out.append("## \(w.participants)\n")
            for p in participants {
                let role = [p.role, p.organisation].compactMap { $0 }.joined(separator: ", ")
                out.append("- \(inline(p.name))\(role.isEmpty ? "" : " — \(inline(role))")")
            }
            out.append("")
        }
        if !d.timeline.topics.isEmpty {
            out.append("## \(w.topics)\n")
            out.append(lineStart(d.timeline.topics.map { "\(inline($0.value)) (\(Format.clock($0.at)))" }.joined(separator: ", ")) + "\n")
        }
        if !d.timeline.notes.isEmpty {
            out.append("## \(w.notes)\n")
            for note in d.timeline.notes { out.append("- \(Format.clock(note.at)) \(inline(note.value))") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// The brief as one self-contained HTML file, in `language`, with dates and times in `zone`.
    public static func html(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> String {
        let w = Words(language)
        var body: [String] = ["<h1>\(escape(d.title))</h1>"]
        var facts: [String] = []
        if let date = eventDate(d, language: language, zone: zone) { facts.append("<b>\(w.date):</b> \(escape(date))") }
        if let organiser = d.agenda?.organiser { facts.append("<b>\(w.organiser):</b> \(escape(organiser))") }
        facts.append("<b>\(w.recording):</b> \(recordingLine(d, language: language, zone: zone, escape: escape))")
        if let transcript = transcriptLine(d, language: language) { facts.append("<b>\(w.transcript):</b> \(escape(transcript))") }
        body.append("<p class=\"facts\">\(facts.joined(separator: " · "))</p>")
        if let description = d.agenda?.description { body.append("<p>\(escape(description))</p>") }
        let spoke = d.timeline.effectiveSpeakingTime
        if !spoke.isEmpty {
            body.append("<h2>\(w.whoSpoke)</h2><table><tr><th>\(w.speaker)</th><th>\(w.role)</th><th>\(w.speakingTime)</th></tr>")
            for entry in spoke {
                body.append("<tr><td>\(escape(entry.name))</td><td>\(escape(d.roleLine(entry.name)))</td><td>\(escape(spokenFor(entry, w)))</td></tr>")
            }
            body.append("</table>")
        }
        if let items = d.agenda?.agenda, !items.isEmpty {
            body.append("<h2>\(w.agenda)</h2><table><tr><th>#</th><th>\(w.item)</th><th>\(w.start)</th><th>\(w.end)</th><th>\(w.speakers)</th></tr>")
            for (index, item) in items.enumerated() {
                let runs = d.timeline.agendaItems.filter { $0.agendaNumber == index + 1 }
                body.append("<tr><td>\(index + 1)</td><td>\(escape(item.title))</td><td>\(runs.first.map { Format.clock($0.start) } ?? "—")</td>"
                            + "<td>\(runs.last.map { Format.clock($0.end) } ?? "—")</td><td>\(escape(item.speakers.joined(separator: ", ")))</td></tr>")
            }
            body.append("</table>")
        }
        if let participants = d.agenda?.participants, !participants.isEmpty {
            body.append("<h2>\(w.participants)</h2><ul>")
            for p in participants {
                let role = [p.role, p.organisation].compactMap { $0 }.joined(separator: ", ")
                body.append("<li>\(escape(p.name))\(role.isEmpty ? "" : " — \(escape(role))")</li>")
            }
            body.append("</ul>")
        }
        if !d.timeline.topics.isEmpty {
            body.append("<h2>\(w.topics)</h2><p>\(d.timeline.topics.map { "\(escape($0.value)) (\(Format.clock($0.at)))" }.joined(separator: ", "))</p>")
        }
        if !d.timeline.notes.isEmpty {
            body.append("<h2>\(w.notes)</h2><ul>")
            for note in d.timeline.notes { body.append("<li>\(Format.clock(note.at)) \(escape(note.value))</li>") }
            body.append("</ul>")
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
    static func recordingLine(_ d: SessionDetails, language: OfficeLanguage, zone: TimeZone, escape: (String) -> String) -> String {
        let w = Words(language)
        let time = OfficeTime(zone: zone)
        var line = Format.clock(d.session.mediaDuration)
        if let start = d.session.startedAt {
            let sameDay = d.eventDay(zone: zone).map { time.day($0) == time.day(start) } ?? true
            let when = sameDay ? time.clock(start, language: language) + " " + time.zoneName(at: start, language: language) : time.dateTime(start, language: language)
            line += ", \(w.from) \(escape(when))"
        }
        return line + " (\(w.session) \(escape(d.session.id)))"
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
