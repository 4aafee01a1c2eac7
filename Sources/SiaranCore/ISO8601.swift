import Foundation

/// ISO 8601 wall-clock times as Siaran writes them (UTC, milliseconds) and reads them.
public enum ISO8601 {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    /// "2026-11-29T01:46:06.123Z"
    public static func format(_ date: Date) -> String {
        // Formatters truncate binary fractions (.82 → .819); count whole milliseconds instead.
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Date(timeIntervalSince1970: Double(millis.floorDivided(by: 1000)))
        let text = plain.format(seconds)
        return String(text.dropLast()) + String(format: ".%03dZ", Int(millis - millis.floorDivided(by: 1000) * 1000))
    }

    /// The same instant, to the millisecond (what survives a write and a read).
    public static func roundedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// Parses ISO 8601 with or without fractional seconds (any number of digits).
    public static func parse(_ text: String) -> Date? {
        if let date = try? withFraction.parse(text) { return roundedToMilliseconds(date) }
        if let date = try? plain.parse(text) { return date }
        // libav writes microseconds ("…06.000000Z"); keep milliseconds.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let digits = text[text.index(after: dot)..<zone].prefix(3)
            return (try? withFraction.parse(String(text[..<dot]) + "." + digits.padding(toLength: 3, withPad: "0", startingAt: 0) + text[zone...]))
                .map(roundedToMilliseconds)
        }
        return nil
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
