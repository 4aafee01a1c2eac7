import Foundation
import SiaranCore

/// A news post's text (as drafted or edited: `# TITLE`, then paragraphs) as the files an officer
/// takes away: Markdown that names the photo beside it, or one self-contained HTML file with the
/// photo inside it.
public enum NewsPostExport {
    /// The photo's file name next to an exported Markdown post.
    public static let photoName = "post-photo.jpg"

    public enum Format: String, Sendable, CaseIterable { case md, html, text }

    /// The session's post (the officer's text, else the draft) in `format`, with its photo.
    /// `zone`: the office's, for the draft's day.
    public static func render(_ d: SessionDetails, post: NewsPost, photo: Data?, format: Format, zone: TimeZone = .current) -> String {
        let text = post.text ?? NewsPostDraft.text(d, post: post, zone: zone)
        let caption = post.photo.map { photoCaption(d, at: $0.at) }
        switch format {
        case .text: return TerminalText.safe(text, keepLineBreaks: true)
        case .md: return markdown(text, photo: photo == nil ? nil : photoName, photoCaption: caption)
        case .html: return html(text, photo: photo, photoCaption: caption, language: d.agenda?.language ?? "id")
        }
    }

    /// The post as a WhatsApp message: the headline in WhatsApp's `*bold*`, the paragraphs as plain
    /// text (no Markdown escapes a phone would show), and `link` (the session's page) at the end.
    public static func whatsapp(_ d: SessionDetails, post: NewsPost, link: String, zone: TimeZone = .current) -> String {
        let (title, paragraphs) = split(post.text ?? NewsPostDraft.text(d, post: post, zone: zone))
        var out: [String] = []
        // A `*` inside the headline would end the bold early; WhatsApp has no escape, so it goes.
        if let title { out.append("*" + title.replacingOccurrences(of: "*", with: "") + "*") }
        out += paragraphs
        out.append(TerminalText.safe(link, keepLineBreaks: false))
        return out.joined(separator: "\n\n") + "\n"
    }

    /// "Ilham Saputra dalam Sosialisasi Juknis Bakohumas …": who was speaking when the photo was taken.
    static func photoCaption(_ d: SessionDetails, at: Double) -> String {
        let title = NewsPostDraft.clean(d.agenda?.title ?? d.title)
        guard let speaker = d.timeline.effectiveSpeaker(at: at)?.value else { return title }
        return "\(NewsPostDraft.clean(speaker)) dalam \(title)"
    }

    /// Markdown: the officer's text, with raw HTML and link syntax neutralised (the text holds
    /// captions and names from the stream), and the photo after the title.
    public static func markdown(_ text: String, photo: String?, photoCaption: String?) -> String {
        let (title, paragraphs) = split(text)
        var out: [String] = []
        if let title { out.append("# " + neutral(title)) }
        if let photo {
            out.append("![\(neutral(photoCaption ?? "Foto"))](\(photo))")
            if let photoCaption { out.append("*\(neutral(photoCaption))*") }
        }
        out += paragraphs.map(neutral)
        return out.joined(separator: "\n\n") + "\n"
    }

    /// One HTML file: the title, the photo as a `data:` image, the paragraphs; everything escaped.
    public static func html(_ text: String, photo: Data?, photoCaption: String?, language: String = "id") -> String {
        let (title, paragraphs) = split(text)
        var body: [String] = []
        if let title { body.append("<h1>\(escape(title))</h1>") }
        if let photo {
            body.append("<figure><img alt=\"\(escape(photoCaption ?? "Foto"))\" src=\"data:image/jpeg;base64,\(photo.base64EncodedString())\">"
                        + (photoCaption.map { "<figcaption>\(escape($0))</figcaption>" } ?? "") + "</figure>")
        }
        body += paragraphs.map { "<p>\(escape($0))</p>" }
        return """
        <!DOCTYPE html>
        <html lang="\(escape(language))"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title ?? "Berita"))</title>
        <style>body{font-family:Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#222}
        img{max-width:100%;height:auto}figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem}</style></head><body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    /// The title (a first line `# …`) and the paragraphs (blank-line separated, lines joined).
    static func split(_ text: String) -> (title: String?, paragraphs: [String]) {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var title: String?
        if let first = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }), lines[first].hasPrefix("# ") {
            title = String(lines[first].dropFirst(2)).trimmingCharacters(in: .whitespaces)
            lines.removeSubrange(...first)
        }
        var paragraphs: [String] = [], current: [String] = []
        for line in lines + [""] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        return (title, paragraphs.map { TerminalText.safe($0, keepLineBreaks: false) })
    }

    /// Markdown that shows the text as written, never markup from it: `<`, `>`, `&`, brackets and
    /// a leading `#`, `>`, `-` or number are escaped; quotes, commas and the like stay as they are.
    static func neutral(_ text: String) -> String {
        SessionReport.lineStart(SessionReport.markdownLine(text, escaping: "[]\\`*_"))
    }

    static func escape(_ text: String) -> String { SessionReport.escape(text) }
}
