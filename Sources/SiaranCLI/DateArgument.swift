import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

/// Dates typed on the command line.
enum DateArgument {
    static func parse(_ text: String) throws -> Date {
        if let date = ISO8601.parse(text) { return date }
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil,
              let date = ISO8601.parse(text + "T00:00:00Z") else {
            throw ValidationError("'\(text)' is not a date (use YYYY-MM-DD)")
        }
        return date
    }

    static func parseEnd(_ text: String) throws -> Date {
        let date = try parse(text)
        return text.count == 10 ? date.addingTimeInterval(86_400) : date
    }

    /// A day (YYYY-MM-DD) as the office means it: from its midnight in `zone`; a full timestamp as it is.
    static func parse(_ text: String, zone: TimeZone) throws -> Date {
        let date = try parse(text)
        guard text.count == 10 else { return date }
        return OfficeTime(zone: zone).midnight(of: text) ?? date
    }

    /// The end of a day (YYYY-MM-DD) in `zone`: the next day's midnight there; a full timestamp as it is.
    static func parseEnd(_ text: String, zone: TimeZone) throws -> Date {
        let date = try parse(text, zone: zone)
        return text.count == 10 ? OfficeTime(zone: zone).midnight(of: text, after: true) ?? date : date
    }
}
