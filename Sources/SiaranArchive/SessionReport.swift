import Foundation
import SiaranCore

/// The brief a public-relations officer pastes into a news post, as Markdown or one self-contained HTML file.
public enum SessionReport {
    public static func markdown(_ d: SessionDetails) -> String {
        var out: [String] = []
        out.append("# \(inline(d.title))\n")
        var facts: [String] = []
        if let date = d.agenda?.date ?? d.session.startedAt.map({ String(ISO8601.format($0).prefix(10)) }) { facts.append("**Date:** \(inline(date))") }
        if let organiser = d.agenda?.organiser { facts.append("**Organiser:** \(inline(organiser))") }
        facts.append("**Recording:** \(Format.clock(d.session.mediaDuration)) (session \(inline(d.session.id)))")
        if let transcript = d.transcriptLine { facts.append("**Transcript:** \(inline(transcript))") }
        out.append(facts.joined(separator: " · ") + "\n")
        if let description = d.agenda?.description { out.append(inline(description) + "\n") }

        let spoke = d.timeline.speakingTime
        if !spoke.isEmpty {
            out.append("## Who spoke\n")
            out.append("| Speaker | Role | Speaking time |")
            out.append("| --- | --- | --- |")
            for entry in spoke { out.append("| \(cell(entry.name)) | \(cell(d.roleLine(entry.name))) | \(Format.clock(entry.seconds)) |") }
            out.append("")
        }
        if let items = d.agenda?.agenda, !items.isEmpty || !d.timeline.agendaItems.isEmpty {
            out.append("## Agenda\n")
            out.append("| # | Item | Start | End | Speakers |")
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
            out.append("## Participants\n")
            for p in participants {
                let role = [p.role, p.organisation].compactMap { $0 }.joined(separator: ", ")
                out.append("- \(inline(p.name))\(role.isEmpty ? "" : " — \(inline(role))")")
            }
            out.append("")
        }
        if !d.timeline.topics.isEmpty {
            out.append("## Topics\n")
            out.append(d.timeline.topics.map { "\(inline($0.value)) (\(Format.clock($0.at)))" }.joined(separator: ", ") + "\n")
        }
        if !d.timeline.notes.isEmpty {
            out.append("## Notes\n")
            for note in d.timeline.notes { out.append("- \(Format.clock(note.at)) \(inline(note.value))") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    public static func html(_ d: SessionDetails) -> String {
        var body: [String] = ["<h1>\(escape(d.title))</h1>"]
        var facts: [String] = []
        if let date = d.agenda?.date ?? d.session.startedAt.map({ String(ISO8601.format($0).prefix(10)) }) { facts.append("<b>Date:</b> \(escape(date))") }
        if let organiser = d.agenda?.organiser { facts.append("<b>Organiser:</b> \(escape(organiser))") }
        facts.append("<b>Recording:</b> \(Format.clock(d.session.mediaDuration))")
        if let transcript = d.transcriptLine { facts.append("<b>Transcript:</b> \(escape(transcript))") }
        body.append("<p class=\"facts\">\(facts.joined(separator: " · "))</p>")
        if let description = d.agenda?.description { body.append("<p>\(escape(description))</p>") }
        let spoke = d.timeline.speakingTime
        if !spoke.isEmpty {
            body.append("<h2>Who spoke</h2><table><tr><th>Speaker</th><th>Role</th><th>Speaking time</th></tr>")
            for entry in spoke {
                body.append("<tr><td>\(escape(entry.name))</td><td>\(escape(d.roleLine(entry.name)))</td><td>\(Format.clock(entry.seconds))</td></tr>")
            }
            body.append("</table>")
        }
        if let items = d.agenda?.agenda, !items.isEmpty {
            body.append("<h2>Agenda</h2><table><tr><th>#</th><th>Item</th><th>Start</th><th>End</th><th>Speakers</th></tr>")
            for (index, item) in items.enumerated() {
                let runs = d.timeline.agendaItems.filter { $0.agendaNumber == index + 1 }
                body.append("<tr><td>\(index + 1)</td><td>\(escape(item.title))</td><td>\(runs.first.map { Format.clock($0.start) } ?? "—")</td>"
                            + "<td>\(runs.last.map { Format.clock($0.end) } ?? "—")</td><td>\(escape(item.speakers.joined(separator: ", ")))</td></tr>")
            }
            body.append("</table>")
        }
        if let participants = d.agenda?.participants, !participants.isEmpty {
            body.append("<h2>Participants</h2><ul>")
            for p in participants {
                let role = [p.role, p.organisation].compactMap { $0 }.joined(separator: ", ")
                body.append("<li>\(escape(p.name))\(role.isEmpty ? "" : " — \(escape(role))")</li>")
            }
            body.append("</ul>")
        }
        if !d.timeline.topics.isEmpty {
            body.append("<h2>Topics</h2><p>\(d.timeline.topics.map { "\(escape($0.value)) (\(Format.clock($0.at)))" }.joined(separator: ", "))</p>")
        }
        if !d.timeline.notes.isEmpty {
            body.append("<h2>Notes</h2><ul>")
            for note in d.timeline.notes { body.append("<li>\(Format.clock(note.at)) \(escape(note.value))</li>") }
            body.append("</ul>")
        }
        return """
        <!DOCTYPE html>
        <html lang="\(escape(d.agenda?.language ?? "id"))"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(d.title))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
        .facts{color:#555}</style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    static func escape(_ text: String) -> String {
        TerminalText.safe(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Text from the session as one line of Markdown that renders as that text and nothing else:
    /// no raw HTML (`<script>`, `<img onerror>`), no links or images (`[x](javascript:…)`), no
    /// emphasis or headings from a pasted title, no control characters; line breaks become spaces.
    static func inline(_ text: String) -> String {
        markdownLine(text, escaping: "\\`*_[]()#!|~")
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
