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

    /// The session's report (`SessionReport.outline`, what its Markdown and HTML say) as a document, in `language`.
    public static func report(_ d: SessionDetails, language: OfficeLanguage = .indonesian, zone: TimeZone = .current) -> WordDocument {
        let report = SessionReport.outline(d, language: language, zone: zone)
        var document = WordDocument(title: report.title, language: language.rawValue, blocks: [.heading(level: 1, report.title)])
        var facts: [Run] = []
        for fact in report.facts {
            if !facts.isEmpty { facts.append(Run(" · ")) }
            facts += [Run("\(fact.label): ", bold: true), Run(fact.value)]
        }
        document.blocks.append(.paragraph(facts))
        if let description = report.description { document.blocks.append(.paragraph([Run(description)])) }
        for section in report.sections {
            switch section {
            case let .table(heading, header, rows) where !rows.isEmpty:
                document.blocks += [.heading(level: 2, heading), .table(header: header, rows: rows)]
            case .table: continue
            case let .bullets(heading, items): document.blocks += [.heading(level: 2, heading), .bullets(items)]
            case let .text(heading, text): document.blocks += [.heading(level: 2, heading), .paragraph([Run(text)])]
            }
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
