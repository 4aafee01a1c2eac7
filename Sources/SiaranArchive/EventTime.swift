import Foundation

/// A time of day as agenda files and the schedule form write it: `09:00`, `9:30 WIB`, `13:00 WITA`,
/// `08:00 WIT`, `09:00+07:00`, `09:00 UTC`. Without a zone it is the machine's local time.
public struct EventTime: Sendable, Equatable {
    public var hour: Int
    public var minute: Int
    /// Seconds east of UTC, when the text named a zone.
    public var offset: Int?

    /// Indonesia's three zones, by the names people write.
    static let zones: [String: Int] = ["WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600, "UTC": 0, "Z": 0]

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let match = trimmed.wholeMatch(of: /(\d{1,2})[:.](\d{2})\s*(?:([A-Za-z]+)|([+-])(\d{2}):?(\d{2}))?/) else { return nil }
        guard let hour = Int(match.1), let minute = Int(match.2), hour < 24, minute < 60 else { return nil }
        self.hour = hour
        self.minute = minute
        if let name = match.3 {
            guard let zone = Self.zones[name.uppercased()] else { return nil }
            offset = zone
        } else if let sign = match.4 {
            guard let h = match.5.flatMap({ Int($0) }), let m = match.6.flatMap({ Int($0) }), h <= 14, m < 60 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
        } else {
            offset = nil
        }
    }

    /// The moment this time falls on `day` (YYYY-MM-DD), in its own zone or else in `zone`.
    public func on(_ day: String, zone: TimeZone = .current) -> Date? {
        guard let match = day.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})/),
              let year = Int(match.1), let month = Int(match.2), let date = Int(match.3) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        let parts = DateComponents(year: year, month: month, day: date, hour: hour, minute: minute)
        // A day or month out of range (2021-02-30, 2021-13-01) rolls over: refused instead.
        guard let moment = calendar.date(from: parts), calendar.component(.day, from: moment) == date,
              calendar.component(.month, from: moment) == month, calendar.component(.year, from: moment) == year else { return nil }
        return moment
    }
}
