import Foundation

/// Human forms of durations and sizes.
public enum Format {
    /// 3725.4 → "01:02:05"
    public static func clock(_ seconds: Double) -> String { ClockFormat.string(seconds) }

    /// 1536000 → "1.5 MB"
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(count) B" : Decimals.string(value, places: 1) + " " + units[unit]
    }

    /// 2_100_000 → "2.10 Mbit/s"
    public static func bitrate(_ bitsPerSecond: Double) -> String {
        bitsPerSecond >= 1e6 ? Decimals.string(bitsPerSecond / 1e6, places: 2) + " Mbit/s" : Decimals.string(bitsPerSecond / 1e3, places: 0) + " kbit/s"
    }
}
