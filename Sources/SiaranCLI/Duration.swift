import ArgumentParser

/// Parses durations people type: "90", "90s", "10m", "1h30m", "01:30:00".
enum Duration {
    static func parse(_ text: String) throws -> Double {
        if let seconds = Double(text), seconds >= 0 { return seconds }
        if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count <= 3, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { throw invalid(text) }
            return parts.reduce(0) { $0 * 60 + $1! }
        }
        var total = 0.0
        var number = ""
        for character in text.lowercased() {
            if character.isNumber || character == "." { number.append(character); continue }
            guard let value = Double(number) else { throw invalid(text) }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: throw invalid(text)
            }
            number = ""
        }
        guard number.isEmpty, total > 0 || text.hasPrefix("0") else { throw invalid(text) }
        return total
    }

    static func invalid(_ text: String) -> ValidationError {
        ValidationError("'\(text)' is not a duration (use e.g. 90s, 10m, 1h30m or 01:30:00)")
    }
}
