import Foundation

/// ISO 8601 wall-clock times as Siaran writes them (UTC, milliseconds) and reads them.
///
/// Plain arithmetic on the proleptic Gregorian calendar: Foundation's formatters go through its
/// calendar and time-zone machinery (ICU), which costs a manifest save — it writes a time for every
/// segment — far more than the arithmetic, and pulls ICU's tables into every recorder's memory.
public enum ISO8601 {
    /// "2026-11-29T01:46:06.123Z" (whole milliseconds, rounded; years 0001–9999).
    public static func format(_ date: Date) -> String {
        let millis = clampedMillis(date)
        let days = millis.floorDivided(by: 86_400_000)
        let ofDay = millis - days * 86_400_000
        let (year, month, day) = civil(days)
        var out = ""
        out.reserveCapacity(24)
        out += Decimals.padded(Int(year), width: 4) + "-" + Decimals.padded(Int(month), width: 2) + "-" + Decimals.padded(Int(day), width: 2)
        out += "T" + Decimals.padded(Int(ofDay / 3_600_000), width: 2) + ":" + Decimals.padded(Int(ofDay / 60_000 % 60), width: 2) + ":" + Decimals.padded(Int(ofDay / 1000 % 60), width: 2)
        out += "." + Decimals.padded(Int(ofDay % 1000), width: 3) + "Z"
        return out
    }

    /// The calendar day of `date` in the machine's time zone, "2026-11-29".
    public static func localDay(_ date: Date) -> String {
        var seconds = time_t(clampedMillis(date).floorDivided(by: 1000))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return String(format(date).prefix(10)) }
        return Decimals.padded(Int(parts.tm_year) + 1900, width: 4) + "-" + Decimals.padded(Int(parts.tm_mon) + 1, width: 2) + "-" + Decimals.padded(Int(parts.tm_mday), width: 2)
    }

    /// The same instant, to the millisecond (what survives a write and a read).
    public static func roundedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH[:MM])`: any number of fraction digits (libav
    /// writes microseconds), rounded to milliseconds. Nil for anything else, or an impossible date.
    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(bytes: Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2), scanner.skip("T") || scanner.skip("t"),
              let hour = scanner.number(2), scanner.skip(":"), let minute = scanner.number(2), scanner.skip(":"),
              let second = scanner.number(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var fraction = 0.0
        if scanner.skip(".") || scanner.skip(",") {
            var scale = 0.1
            var any = false
            while let digit = scanner.digit() { fraction += Double(digit) * scale; scale /= 10; any = true }
            guard any else { return nil }
        }
        var offsetMinutes = 0
        if scanner.skip("Z") || scanner.skip("z") {
        } else if let sign = scanner.sign() {
            guard let hours = scanner.number(2), hours < 24 else { return nil }
            var minutes = 0
            if !scanner.atEnd {
                _ = scanner.skip(":")
                guard let m = scanner.number(2), m < 60 else { return nil }
                minutes = m
            }
            offsetMinutes = sign * (hours * 60 + minutes)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = Double(days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60))
        return Date(timeIntervalSince1970: ((seconds + fraction) * 1000).rounded() / 1000)
    }

    // MARK: - Calendar arithmetic (Howard Hinnant's days-from-civil and its inverse)

    /// Milliseconds since 1970, kept within years 0001–9999.
    private static func clampedMillis(_ date: Date) -> Int64 {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite else { return 0 }
        return Int64(min(max(millis, -62_135_596_800_000), 253_402_300_799_999))
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - 0x30)
        }

        /// Exactly `count` digits.
        mutating func number(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let d = digit() else { return nil }
                value = value * 10 + d
            }
            return value
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
