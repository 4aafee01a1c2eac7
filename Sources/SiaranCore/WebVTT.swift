import Foundation

/// The caption files Siaran keeps in a session's `captions/` folder: WebVTT with one cue per block and
/// its text on one line, `&`, `<` and `>` escaped. Captions from outside (any WebVTT or SRT) are read
/// through libav and written in this form; this reader is for Siaran's own files, so that indexing and
/// snippets need no libav.
public enum WebVTT {
    /// A cue and where its text stands in the file.
    public struct Located: Sendable, Equatable {
        public var cue: Cue
        /// Byte range of the cue's text lines (raw, escaped) in the file.
        public var text: Range<Int>
    }

    /// WebVTT for `cues`.
    public static func render(_ cues: [Cue]) -> String {
        header + renderBlocks(cues)
    }

    /// The first line of every WebVTT file, with the blank line after it.
    public static let header = "WEBVTT\n\n"

    /// The cue blocks of `cues` alone (to append to a file that has its header).
    public static func renderBlocks(_ cues: [Cue]) -> String {
        var out = ""
        for cue in cues {
            out += "\(timestamp(cue.start)) --> \(timestamp(max(cue.end, cue.start)))\n"
            // A voice tag is the one markup Siaran's files keep (search attributes the cue to its speaker).
            if let voice = cue.voice { out += "<v " + escape(voice) + ">" }
            out += escape(cue.text) + "\n\n"
        }
        return out
    }

    /// Cues of WebVTT bytes: a timing line (`start --> end`, optional settings after it) followed by
    /// text lines up to a blank line. Blocks without a valid timing line (header, NOTE, STYLE) are skipped.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [Located] {
        var result: [Located] = []
        var lineStart = 0
        var timing: (start: Double, end: Double)?
        var textStart = 0, textEnd = 0
        func finish() {
            if let t = timing, textEnd > textStart {
                let raw = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[textStart..<textEnd]), as: UTF8.self)
                let text = clean(raw)
                if !text.isEmpty {
                    result.append(Located(cue: Cue(start: t.start, end: t.end, text: text, voice: voice(raw)), text: textStart..<textEnd))
                }
            }
            timing = nil
        }
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<contentEnd])
            if line.isEmpty {
                finish()
            } else if timing != nil {
                if textEnd == textStart { textStart = lineStart }
                textEnd = contentEnd
            } else if let parsed = parseTiming(line) {
                timing = parsed
                textStart = lineEnd + 1
                textEnd = textStart
            }
            lineStart = lineEnd + 1
        }
        finish()
        return result
    }

    /// The name in a voice tag at the start of a cue's raw text (`<v Ilham Saputra>Selamat pagi`), or
    /// nil. Classes (`<v.first Name>`) are ignored; the name is cleaned like text.
    public static func voice(_ raw: String) -> String? {
        let trimmed = raw.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("<v"), let close = trimmed.firstIndex(of: ">") else { return nil }
        var inside = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close]
        guard let first = inside.first, first == " " || first == "." || first == "\t" else { return nil }
        if first == "." { inside = inside.drop { $0 != " " && $0 != "\t" } }
        let name = clean(String(inside))
        return name.isEmpty ? nil : name
    }

    /// Caption text without markup (`<v Speaker>`, `<i>`, `{\an8}`), entities decoded, whitespace collapsed.
    /// Works on Unicode scalars, not characters, so that cleaning its own output changes nothing (a
    /// combining mark after a removed tag or a space must not merge into a different character).
    public static func clean(_ raw: String) -> String {
        // Siaran's own files: one line, no markup, no entities, single spaces.
        var previousSpace = true
        let plain = raw.utf8.allSatisfy { byte in
            let space = byte == 0x20
            defer { previousSpace = space }
            return byte != 0x3C && byte != 0x7B && byte != 0x26 && byte >= 0x20 && byte < 0x80 && !(space && previousSpace)
        }
        if plain && !previousSpace { return raw }
        var text = String.UnicodeScalarView()
        var closing: Unicode.Scalar?
        for scalar in raw.unicodeScalars {
            if let end = closing {
                if scalar == end { closing = nil }
                continue
            }
            if scalar == "<" { closing = ">"; continue }
            if scalar == "{" { closing = "}"; continue }
            text.append(scalar)
        }
        let decoded = text.contains("&") ? decodeEntities(text) : text
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decoded {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(scalar)
        }
        return String(out)
    }

    /// `&lt;`, `&gt;`, `&nbsp;` and `&amp;` decoded (scalar by scalar; other entities are left as written).
    static func decodeEntities(_ text: String.UnicodeScalarView) -> String.UnicodeScalarView {
        let entities: [(String.UnicodeScalarView, Unicode.Scalar)] = [("lt;".unicodeScalars, "<"), ("gt;".unicodeScalars, ">"),
                                                                      ("nbsp;".unicodeScalars, " "), ("amp;".unicodeScalars, "&")]
        var out = String.UnicodeScalarView()
        var index = text.startIndex
        scanning: while index < text.endIndex {
            let scalar = text[index]
            index = text.index(after: index)
            if scalar == "&" {
                for (name, value) in entities where text[index...].starts(with: name) {
                    out.append(value)
                    index = text.index(index, offsetBy: name.count)
                    continue scanning
                }
            }
            out.append(scalar)
        }
        return out
    }

    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "{" || $0.properties.isWhitespace && $0 != " " })
        else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            // No entity for "{" in WebVTT; a full-width brace keeps the text readable and not markup.
            case "{": out.append("\u{FF5B}")
            default: out.append(scalar.properties.isWhitespace ? " " : scalar)
            }
        }
        return String(out)
    }

    /// The latest time written (a caption file's timestamps can say anything; a million hours is plenty).
    static let latest: Double = 3_600_000_000

    static func timestamp(_ seconds: Double) -> String {
        let millis = Int((seconds.isFinite ? min(max(0, seconds), latest) : 0) * 1000)
        return Decimals.padded(millis / 3_600_000, width: 2) + ":" + Decimals.padded(millis / 60_000 % 60, width: 2) + ":"
            + Decimals.padded(millis / 1000 % 60, width: 2) + "." + Decimals.padded(millis % 1000, width: 3)
    }

    /// `HH:MM:SS.mmm --> HH:MM:SS.mmm [settings]` (hours optional, `,` accepted for `.`).
    static func parseTiming(_ line: UnsafeRawBufferPointer) -> (start: Double, end: Double)? {
        var i = 0
        guard let start = parseTime(line, &i) else { return nil }
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
        guard i + 3 <= line.count, line[i] == 0x2D, line[i + 1] == 0x2D, line[i + 2] == 0x3E else { return nil }
        i += 3
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
        guard let end = parseTime(line, &i) else { return nil }
        return (start, max(start, end))
    }

    private static func parseTime(_ line: UnsafeRawBufferPointer, _ i: inout Int) -> Double? {
        var fields: [Int] = []
        var millis = 0
        while fields.count < 3 {
            var value = 0, digits = 0
            while i < line.count, line[i] >= 0x30, line[i] <= 0x39, digits < 9 {
                value = value * 10 + Int(line[i] - 0x30); i += 1; digits += 1
            }
            guard digits > 0 else { return nil }
            fields.append(value)
            guard i < line.count else { return nil }
            if line[i] == 0x3A { i += 1; continue }
            guard line[i] == 0x2E || line[i] == 0x2C else { return nil }
            i += 1
            var scale = 100, fractionDigits = 0
            while i < line.count, line[i] >= 0x30, line[i] <= 0x39 {
                if fractionDigits < 3 { millis += Int(line[i] - 0x30) * scale; scale /= 10 }
                i += 1; fractionDigits += 1
            }
            guard fractionDigits > 0 else { return nil }
            break
        }
        guard fields.count >= 2 && fields.count <= 3 else { return nil }
        let seconds = fields.reduce(0) { $0 * 60 + $1 }
        return Double(seconds) + Double(millis) / 1000
    }
}
