import Foundation
import Logging

/// The server's log, one line per entry: a line break or other control character in a logged value
/// (a schedule's title, a recorder's error) is shown escaped (`\n`), so it cannot forge a log line.
struct OneLineLogHandler: LogHandler {
    var wrapped: any LogHandler

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(Self.oneLine(Self.withoutFeedTokens(event.message.description)))"
        wrapped.log(event: event)
    }

    /// `text` with the private token of every alert feed path (`/alerts/feed/TOKEN.atom`) left out.
    static func withoutFeedTokens(_ text: String) -> String {
        guard text.contains("/alerts/feed/") else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "/alerts/feed/") {
            out += rest[..<start.upperBound] + "[token]"
            rest = rest[start.upperBound...].drop { !$0.isWhitespace && $0 != "." && $0 != "?" }
        }
        return out + rest
    }

    /// `text` with line breaks written as `\n`/`\r` and other control characters as U+FFFD.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": scalars.append(contentsOf: "\\n".unicodeScalars)
            case "\r": scalars.append(contentsOf: "\\r".unicodeScalars)
            case "\t": scalars.append(" ")
            default: scalars.append(isControl(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(scalars)
    }

    /// C0 and C1 controls, and the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}

extension Logger {
    /// This logger, writing one line per entry.
    func oneLinePerEntry() -> Logger {
        var logger = self
        logger.handler = OneLineLogHandler(wrapped: handler)
        return logger
    }
}
