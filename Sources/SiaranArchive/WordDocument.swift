import Foundation
import SiaranCore

/// A document for Word (DOCX) described as data: headings, paragraphs, a photo, tables and
/// bullet lists. The server hands it as JSON to a python-docx child (a maintained library writes
/// the file; nothing here writes Office XML), so text from the stream is only ever text.
public struct WordDocument: Encodable, Sendable, Equatable {
    /// One run of text in a paragraph.
    public struct Run: Encodable, Sendable, Equatable {
        public var text: String
        public var bold = false
        public var italic = false

        public init(_ text: String, bold: Bool = false, italic: Bool = false) {
            (self.text, self.bold, self.italic) = (TerminalText.safe(text, keepLineBreaks: false), bold, italic)
        }
    }

    /// One block of the document, in the order it is shown.
    public enum Block: Sendable, Equatable {
        case heading(level: Int, String)
        case paragraph([Run])
        case image(Data, caption: String?)
        case table(header: [String], rows: [[String]])
        case bullets([String])
    }

    public var title: String
    public var language: String
    public var blocks: [Block]

    public init(title: String, language: String, blocks: [Block] = []) {
        (self.title, self.language, self.blocks) = (title, language, blocks)
    }

    /// The news post (the officer's text, else the draft) as a document: its headline, the photo
    /// with who was speaking, the paragraphs.
    public static func post(_ d: SessionDetails, post: NewsPost, photo: Data?, zone: TimeZone = .current) -> WordDocument {
        let text = post.text ?? NewsPostDraft.text(d, post: post, zone: zone)
        let (title, paragraphs) = NewsPostExport.split(text)
        var document = WordDocument(title: title ?? NewsPostDraft.clean(d.title), language: d.agenda?.language ?? "id")
        if let title { document.blocks.append(.heading(level: 1, title)) }
        if let photo {
            document.blocks.append(.image(photo, caption: post.photo.map { NewsPostExport.photoCaption(d, at: $0.at) }))
        }
        document.blocks += paragraphs.map { .paragraph([Run($0)]) }
        return document
    }

    /// The session's report (what `SessionReport.markdown` says) as a document, in `language`.
    public static func report(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> WordDocument {
        let w = SessionReport.Words(language)
        var document = WordDocument(title: d.title, language: language.rawValue, blocks: [.heading(level: 1, d.title)])
        var facts: [Run] = []
        func fact(_ label: String, _ value: String) {
            if !facts.isEmpty { facts.append(Run(" · ")) }
            facts += [Run("\(label): ", bold: true), Run(value)]
        }
        if let date = SessionReport.eventDate(d, language: language, zone: zone) { fact(w.date, date) }
        if let organiser = d.agenda?.organiser { fact(w.organiser, organiser) }
        fact(w.recording, SessionReport.recordingLine(d, language: language, zone: zone) { $0 })
        if let transcript = SessionReport.transcriptLine(d, language: language) { fact(w.transcript, transcript) }
        document.blocks.append(.paragraph(facts))
        if let description = d.agenda?.description { document.blocks.append(.paragraph([Run(description)])) }
        let spoke = d.timeline.effectiveSpeakingTime
        if !spoke.isEmpty {
            document.blocks.append(.heading(level: 2, w.whoSpoke))
            document.blocks.append(.table(header: [w.speaker, w.role, w.speakingTime],
                                          rows: spoke.map { [$0.name, d.roleLine($0.name), SessionReport.spokenFor($0, w)] }))
        }
        if let items = d.agenda?.agenda, !items.isEmpty {
            document.blocks.append(.heading(level: 2, w.agenda))
            document.blocks.append(.table(header: ["#", w.item, w.start, w.end, w.speakers], rows: items.enumerated().map { index, item in
                let runs = d.timeline.agendaItems.filter { $0.agendaNumber == index + 1 }
                return [String(index + 1), item.title, runs.first.map { Format.clock($0.start) } ?? "—",
                        runs.last.map { Format.clock($0.end) } ?? "—", item.speakers.joined(separator: ", ")]
            }))
        }
        if let participants = d.agenda?.participants, !participants.isEmpty {
            document.blocks.append(.heading(level: 2, w.participants))
            document.blocks.append(.bullets(participants.map { p in
                let role = [p.role, p.organisation].compactMap { $0 }.joined(separator: ", ")
                return p.name + (role.isEmpty ? "" : " — \(role)")
            }))
        }
        if !d.timeline.topics.isEmpty {
            document.blocks.append(.heading(level: 2, w.topics))
            document.blocks.append(.paragraph([Run(d.timeline.topics.map { "\($0.value) (\(Format.clock($0.at)))" }.joined(separator: ", "))]))
        }
        if !d.timeline.notes.isEmpty {
            document.blocks.append(.heading(level: 2, w.notes))
            document.blocks.append(.bullets(d.timeline.notes.map { "\(Format.clock($0.at)) \($0.value)" }))
        }
        return document
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(TerminalText.safe(title, keepLineBreaks: false), forKey: .title)
        try container.encode(language, forKey: .language)
        try container.encode(blocks.map(BlockJSON.init), forKey: .blocks)
    }

    enum Key: String, CodingKey { case title, language, blocks }

    /// A block as the writer reads it (`{"kind": "heading", …}`).
    struct BlockJSON: Encodable {
        var kind: String
        var level: Int?
        var text: String?
        var runs: [Run]?
        var data: String?
        var caption: String?
        var header: [String]?
        var rows: [[String]]?
        var items: [String]?

        init(_ block: Block) {
            let safe = { (text: String) in TerminalText.safe(text, keepLineBreaks: false) }
            switch block {
            case let .heading(level, text): kind = "heading"; self.level = level; self.text = safe(text)
            case let .paragraph(runs): kind = "paragraph"; self.runs = runs
            case let .image(data, caption): kind = "image"; self.data = data.base64EncodedString(); self.caption = caption.map(safe)
            case let .table(header, rows): kind = "table"; self.header = header.map(safe); self.rows = rows.map { $0.map(safe) }
            case let .bullets(items): kind = "bullets"; self.items = items.map(safe)
            }
        }
    }
}
