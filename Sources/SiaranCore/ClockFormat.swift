import Foundation

/// Session-clock positions as people read them.
public enum ClockFormat {
    /// 3725.4 → "01:02:05" (whole seconds, rounded down; negative values show as 00:00:00).
    public static func string(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(min(max(0, seconds), 1e12).rounded(.down)) : 0
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return two(total / 3600) + ":" + two(total / 60 % 60) + ":" + two(total % 60)
    }
}
