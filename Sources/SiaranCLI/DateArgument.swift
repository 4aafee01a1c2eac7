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
}
