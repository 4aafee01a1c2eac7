import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// A session's transcript as its officers corrected it: the lines of its caption files with the
/// corrections of `corrections.jsonl` applied in order. The files keep the machine's text; a corrected
/// line says what it was and who changed it when.
public enum CorrectedTranscript {
    /// One line of the corrected transcript.
    public struct Line: Sendable, Equatable {
        /// The caption file the line belongs to (`asr.vtt`).
        public var file: String
        public var cue: Cue
        /// The line's position in its file when it is the file's own, uncorrected; nil once corrected.
        public var sourceIndex: Int?
        /// For a corrected line: the text its file has (the machine's), who corrected it last and when.
        public var original: String?
        public var correctedBy: String?
        public var correctedAt: Date?

        public init(file: String, cue: Cue, sourceIndex: Int?) {
            self.file = file
            self.cue = cue
            self.sourceIndex = sourceIndex
        }

        public var corrected: Bool { sourceIndex == nil }
    }

    /// Why a correction cannot be made.
    public struct Problem: Error, Sendable, Equatable {
        public enum Code: String, Sendable {
            /// No line of that file starts at that moment (the page is out of date).
            case noLine
            /// The new text is empty, or a split leaves an empty part.
            case emptyText
            /// The text or speaker is longer than `longestText`.
            case tooLong
            /// A split's caret is not inside the line.
            case badCaret
            /// A merge of the file's last line.
            case noNextLine
        }
        public var code: Code
    }

    /// The longest line text kept, in characters.
    public static let longestText = 2000

    /// The lines of `files` (each file's cues in its order), with `corrections` applied; those that no
    /// longer apply (their line is gone) are skipped. Lines in time order.
    public static func apply(files: [(name: String, cues: [Cue])], _ corrections: [TranscriptCorrection]) -> [Line] {
        var byFile: [String: [Line]] = [:]
        for file in files {
            byFile[file.name, default: []] += file.cues.enumerated().map { Line(file: file.name, cue: $1, sourceIndex: $0) }
        }
        for name in byFile.keys { byFile[name]!.sort { $0.cue.start < $1.cue.start } }
        for correction in corrections {
            guard var lines = byFile[correction.file] else { continue }
            if (try? apply(correction, to: &lines)) != nil { byFile[correction.file] = lines }
        }
        return byFile.values.flatMap { $0 }.sorted { ($0.cue.start, $0.file) < ($1.cue.start, $1.file) }
    }

    /// Applies one correction to the lines of its file (in time order), or says why it cannot be applied.
    public static func apply(_ c: TranscriptCorrection, to lines: inout [Line]) throws(Problem) {
        guard let i = lines.firstIndex(where: { abs($0.cue.start - c.at) < 0.0005 }) else { throw Problem(code: .noLine) }
        var line = lines[i]
        let original = line.original ?? line.cue.text
        func mark(_ l: inout Line, _ text: String) {
            l.original = text
            l.sourceIndex = nil
            l.correctedBy = c.author
            l.correctedAt = c.recordedAt
        }
        switch c.action {
        case .edit:
            let text = try cleaned(c.text)
            guard !text.isEmpty else { throw Problem(code: .emptyText) }
            line.cue.text = text
            mark(&line, original)
            lines[i] = line
        case .speaker:
            let name = try cleaned(c.speaker)
            line.cue.voice = name.isEmpty ? nil : name
            mark(&line, original)
            lines[i] = line
        case .split:
            let utf16 = line.cue.text.utf16
            guard let caret = c.caret, caret > 0, caret < utf16.count,
                  let cut = String.Index(utf16.index(utf16.startIndex, offsetBy: caret), within: line.cue.text) else {
                throw Problem(code: .badCaret)
            }
            let first = line.cue.text[..<cut].trimmingCharacters(in: .whitespaces)
            let second = line.cue.text[cut...].trimmingCharacters(in: .whitespaces)
            guard !first.isEmpty, !second.isEmpty else { throw Problem(code: .emptyText) }
            // The second part starts as far into the line's time as its text is into the line's text.
            let span = max(line.cue.end - line.cue.start, 0)
            var middle = ((line.cue.start + span * Double(caret) / Double(utf16.count)) * 1000).rounded() / 1000
            if middle <= line.cue.start { middle = line.cue.start + 0.001 }
            var tail = line
            line.cue.text = first
            line.cue.end = middle
            tail.cue.text = second
            tail.cue.start = middle
            tail.cue.end = max(tail.cue.end, middle)
            mark(&line, original)
            mark(&tail, original)
            lines[i] = line
            lines.insert(tail, at: i + 1)
        case .merge:
            guard i + 1 < lines.count else { throw Problem(code: .noNextLine) }
            let next = lines[i + 1]
            let text = line.cue.text + " " + next.cue.text
            guard text.count <= longestText else { throw Problem(code: .tooLong) }
            line.cue.text = text
            line.cue.end = max(line.cue.end, next.cue.end)
            line.cue.voice = line.cue.voice ?? next.cue.voice
            mark(&line, original + " " + (next.original ?? next.cue.text))
            lines[i] = line
            lines.remove(at: i + 1)
        }
    }

    /// `text` on one line, trimmed, at most `longestText` characters.
    static func cleaned(_ text: String?) throws(Problem) -> String {
        let flat = (text ?? "").split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard flat.count <= longestText else { throw Problem(code: .tooLong) }
        return flat
    }

    /// The lines of session `id`'s caption files, corrected.
    public static func lines(archive: Archive, id: String) -> [Line] {
        apply(files: files(archive: archive, id: id), CorrectionLog(path: archive.correctionsPath(of: id)).read())
    }

    /// The session's caption files' cues, by file name.
    static func files(archive: Archive, id: String) -> [(name: String, cues: [Cue])] {
        LiveCaptionLines.current(archive.captionFiles(of: id).compactMap { path in
            guard let data = try? PlainFile.read(path) else { return nil }
            return ((path as NSString).lastPathComponent, data.withUnsafeBytes { WebVTT.parse($0).map(\.cue) })
        })
    }

    /// Checks `correction` against the corrected transcript as it stands, appends it to the session's
    /// log, rewrites the derived `corrected.vtt` and notes the change (the catalog re-indexes the
    /// session at the next search). Returns the corrected transcript.
    public static func correct(_ correction: TranscriptCorrection, archive: Archive, id: String) throws -> [Line] {
        let files = files(archive: archive, id: id)
        let log = CorrectionLog(path: archive.correctionsPath(of: id))
        let current = apply(files: files, log.read())
        var lines = current.filter { $0.file == correction.file }
        var written = correction
        written.author = correction.author ?? Tagger.author
        written.before = lines.first { abs($0.cue.start - correction.at) < 0.0005 }?.cue.text
        try apply(written, to: &lines)
        try log.append(written)
        // The log as it stands now: what it gave before, with this file's lines as the correction left them.
        let all = (current.filter { $0.file != correction.file } + lines).sorted { ($0.cue.start, $0.file) < ($1.cue.start, $1.file) }
        try writeDerived(all, archive: archive, id: id)
        archive.noteChange()
        return all
    }

    /// The WebVTT text of the corrected lines, in time order.
    public static func derivedText(_ lines: [Line]) -> String {
        WebVTT.render(lines.filter(\.corrected).map(\.cue))
    }

    /// Writes `corrected.vtt` when its text differs from what `lines` give (none: removed); answers the
    /// file's text as it now stands (nil: no file).
    @discardableResult
    public static func writeDerived(_ lines: [Line], archive: Archive, id: String) throws(ArchiveError) -> Data? {
        let path = archive.correctedCaptionsPath(of: id)
        guard lines.contains(where: \.corrected) else {
            if PlainFile.isPlainFile(path) { unlink(path) }
            return nil
        }
        let text = Data(derivedText(lines).utf8)
        if (try? PlainFile.read(path)) == text { return text }
        try AtomicFile.write(text, to: path)
        return text
    }
}
