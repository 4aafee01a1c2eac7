import Foundation

/// Session-clock positions as people read them.
public enum ClockFormat {
    /// 3725.4 → "01:02:05" (whole seconds, rounded down; negative values show as 00:00:00).
    public static func string(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded(.down))
        return String(format: "%02d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }
}
