/// Numbers as text without `String(format:)` (which goes through Foundation's locale machinery and
/// is slow on paths run for every segment: playlists, manifests, caption files).
public enum Decimals {
    /// `value` rounded to `places` decimals (halves to even, as printf): 6.0 → "6.000", 2.5 → "2" (places
    /// 0). Non-finite → "0".
    public static func string(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "0" }
        let scale = (0..<max(0, places)).reduce(1.0) { value, _ in value * 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        return sign + String(whole) + "." + padded(Int(units % Int64(scale)), width: places)
    }

    /// `value` with leading zeros to `width` digits: (7, 2) → "07".
    public static func padded(_ value: Int, width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
