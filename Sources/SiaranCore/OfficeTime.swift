import Foundation

/// The language a page, report or message is written in: Indonesian by default, English on request.
public enum OfficeLanguage: String, Sendable, Codable, CaseIterable {
    case indonesian = "id"
    case english = "en"

    /// "id", "id-ID", "in", "en", "en-US", "English", "Indonesia" (case ignored); nil for anything else.
    public init?(code: String) {
        let base = code.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        switch base {
        case "id", "in", "ind", "indonesia", "indonesian", "bahasa": self = .indonesian
        case "en", "eng", "english", "inggris": self = .english
        default: return nil
        }
    }
}

/// Moments as the office reads them: in its own time zone, written as Indonesians write them.
///
/// - `dateTime`: "Rabu, 15 September 2021, 09.00 WIB" (English: "Wednesday, 15 September 2021, 09:00 WIB")
/// - `date`: "Rabu, 15 September 2021"
/// - `iso8601`: "2021-09-15T09:00:00+07:00" (milliseconds only when there are some)
/// - `day`: "2021-09-15", the calendar day in the zone
///
/// The zone's short name comes from its offset from UTC at that moment: UTC+7 is WIB (Waktu
/// Indonesia Barat), UTC+8 WITA (Tengah), UTC+9 WIT (Timur), UTC itself "UTC"; any other offset
/// is written "UTC+HH.MM" (English "UTC+HH:MM"), e.g. "UTC-05.00", "UTC+05.30".
///
/// Calendar arithmetic is Foundation's Gregorian `Calendar` in `zone`; no `DateFormatter`.
public struct OfficeTime: Sendable {
    public let zone: TimeZone

    /// `zone` defaults to the machine's (`TimeZone.current`: `$TZ`, else /etc/localtime).
    public init(zone: TimeZone = .current) { self.zone = zone }

    /// The zone named by an IANA identifier ("Asia/Makassar") or "UTC"; nil when unknown.
    public init?(zoneNamed name: String) {
        guard let zone = Self.zone(named: name) else { return nil }
        self.zone = zone
    }

    /// The zone an office asked for: `name` (from `--timezone`), else `$SIARAN_TIMEZONE`, else the
    /// machine's. Throws `OfficeTime.UnknownZone` for a name that is not an IANA zone.
    public static func chosen(_ name: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OfficeTime {
        let asked = name ?? environment["SIARAN_TIMEZONE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let asked else { return OfficeTime() }
        guard let time = OfficeTime(zoneNamed: asked) else { throw UnknownZone(name: asked) }
        return time
    }

    /// A time zone name that is not known.
    public struct UnknownZone: Error, CustomStringConvertible, Sendable {
        public let name: String
        public var description: String {
            "unknown time zone “\(name)”: give an IANA name such as Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
        }
    }

    /// An IANA zone by name; also "UTC"/"GMT" and the Indonesian short names WIB, WITA, WIT.
    public static func zone(named name: String) -> TimeZone? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        switch trimmed.uppercased() {
        case "UTC", "GMT", "Z": return TimeZone(identifier: "UTC")
        case "WIB": return TimeZone(identifier: "Asia/Jakarta")
        case "WITA": return TimeZone(identifier: "Asia/Makassar")
        case "WIT": return TimeZone(identifier: "Asia/Jayapura")
        default: break
        }
        guard trimmed.contains("/") else { return nil }
        return TimeZone(identifier: trimmed)
    }

    /// "Rabu, 15 September 2021, 09.00 WIB" / "Wednesday, 15 September 2021, 09:00 WIB".
    public func dateTime(_ date: Date, language: OfficeLanguage = .indonesian) -> String {
        let p = parts(date)
        let separator = language == .indonesian ? "." : ":"
        return self.date(date, language: language) + ", " + Decimals.padded(p.hour, width: 2) + separator
            + Decimals.padded(p.minute, width: 2) + " " + zoneName(at: date, language: language)
    }

    /// "Rabu, 15 September 2021" / "Wednesday, 15 September 2021".
    public func date(_ date: Date, language: OfficeLanguage = .indonesian) -> String {
        let p = parts(date)
        let days = language == .indonesian ? Self.indonesianDays : Self.englishDays
        let months = language == .indonesian ? Self.indonesianMonths : Self.englishMonths
        return "\(days[p.weekday - 1]), \(p.day) \(months[p.month - 1]) \(p.year)"
    }

    /// "09.00" / "09:00": the time of day alone, without the zone.
    public func clock(_ date: Date, language: OfficeLanguage = .indonesian) -> String {
        let p = parts(date)
        return Decimals.padded(p.hour, width: 2) + (language == .indonesian ? "." : ":") + Decimals.padded(p.minute, width: 2)
    }

    /// "2021-09-15": the calendar day in the zone.
    public func day(_ date: Date) -> String {
        let p = parts(date)
        return Decimals.padded(p.year, width: 4) + "-" + Decimals.padded(p.month, width: 2) + "-" + Decimals.padded(p.day, width: 2)
    }

    /// The midnight that starts `day` ("2021-09-15") in the zone, or with `after` the one that ends it;
    /// nil when `day` is not a real YYYY-MM-DD date (2021-02-30 is not).
    public func midnight(of day: String, after: Bool = false) -> Date? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard day.count == 10, parts.count == 3, parts.map(\.count) == [4, 2, 2],
              let year = Int(parts[0]), let month = Int(parts[1]), let number = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let start = calendar.date(from: DateComponents(year: year, month: month, day: number)), self.day(start) == day else { return nil }
        return after ? calendar.date(byAdding: .day, value: 1, to: start) : start
    }

    /// "2021-09-15T09:00:00+07:00"; with ".123" before the offset when the moment has milliseconds.
    public func iso8601(_ date: Date) -> String {
        let rounded = ISO8601.roundedToMilliseconds(date)
        let p = parts(rounded)
        var out = day(rounded) + "T" + Decimals.padded(p.hour, width: 2) + ":" + Decimals.padded(p.minute, width: 2) + ":" + Decimals.padded(p.second, width: 2)
        let millis = Int((rounded.timeIntervalSince1970 * 1000).rounded()) % 1000
        let positive = millis < 0 ? millis + 1000 : millis
        if positive != 0 { out += "." + Decimals.padded(positive, width: 3) }
        return out + offsetText(zone.secondsFromGMT(for: rounded), separator: ":")
    }

    /// "WIB", "WITA", "WIT", "UTC", or "UTC+HH.MM" (English "UTC+HH:MM") for other offsets.
    public func zoneName(at date: Date, language: OfficeLanguage = .indonesian) -> String {
        let seconds = zone.secondsFromGMT(for: date)
        switch seconds {
        case 7 * 3600: return "WIB"
        case 8 * 3600: return "WITA"
        case 9 * 3600: return "WIT"
        case 0: return "UTC"
        default: return "UTC" + offsetText(seconds, separator: language == .indonesian ? "." : ":")
        }
    }

    private func offsetText(_ seconds: Int, separator: String) -> String {
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + Decimals.padded(minutes / 60, width: 2) + separator + Decimals.padded(minutes % 60, width: 2)
    }

    private func parts(_ date: Date) -> (year: Int, month: Int, day: Int, weekday: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: date)
        return (c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.weekday ?? 1, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static let indonesianDays = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]
    static let englishDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let indonesianMonths = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
}
