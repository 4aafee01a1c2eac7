/// Text from sessions (captions, titles, names, notes, agenda files) made safe to print on a terminal
/// or paste into a report: control characters (C0 but line breaks, DEL, C1, and so every escape
/// sequence: window titles, hyperlinks, clipboard writes, screen clears, status queries) and the
/// bidirectional overrides that reorder what a reader sees are replaced by U+FFFD.
public enum TerminalText {
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// `text` with unsafe characters replaced; `keepLineBreaks` keeps "\n" (else it becomes a space).
    public static func safe(_ text: String, keepLineBreaks: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) || (!keepLineBreaks && text.contains("\n")) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                scalars.append(keepLineBreaks ? scalar : " ")
            } else if scalar == "\t" {
                scalars.append(" ")
            } else {
                scalars.append(isUnsafe(scalar) ? replacement : scalar)
            }
        }
        return String(scalars)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
