import Foundation

/// ISO 8601 wall-clock times as Siaran writes them (UTC, milliseconds) and reads them.
public enum ISO8601 {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    /// "2026-11-29T01:46:06.123Z"
    public static func format(_ date: Date) -> String { withFraction.format(date) }

    /// Parses ISO 8601 with or without fractional seconds (any number of digits).
    public static func parse(_ text: String) -> Date? {
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? plain.parse(text) { return date }
        // libav writes microseconds ("…06.000000Z"); keep milliseconds.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let digits = text[text.index(after: dot)..<zone].prefix(3)
            return try? withFraction.parse(String(text[..<dot]) + "." + digits.padding(toLength: 3, withPad: "0", startingAt: 0) + text[zone...])
        }
        return nil
    }
}
