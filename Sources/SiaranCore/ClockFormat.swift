import Foundation

/// Session-clock positions as people read them.
public enum ClockFormat {
    /// 3725.4 → "01:02:05" (whole seconds, rounded down; negative values show as 00:00:00).
    public static func string(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(min(max(0, seconds), 1e12).rounded(.down)) : 0
        return Decimals.padded(total / 3600, width: 2) + ":" + Decimals.padded(total / 60 % 60, width: 2) + ":"
            + Decimals.padded(total % 60, width: 2)
    }
}
