/// Which variant of a stream offered in several qualities (an HLS master playlist) to record.
public enum QualityChoice: Sendable, Equatable, CustomStringConvertible {
    /// The highest resolution (then bit rate): the default.
    case best
    /// The lowest.
    case worst
    /// The highest at or below this many lines (`720p`), else the lowest above it.
    case height(Int)

    /// `best`, `worst`, `720p`, `720`; nil for anything else.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "best": self = .best
        case "worst": self = .worst
        default:
            let digits = text.lowercased().hasSuffix("p") ? String(text.dropLast()) : text
            guard let lines = Int(digits), lines > 0, lines <= 10_000 else { return nil }
            self = .height(lines)
        }
    }

    public var description: String {
        switch self {
        case .best: return "best"
        case .worst: return "worst"
        case let .height(lines): return "\(lines)p"
        }
    }

    /// One offered variant: its picture height (0 for audio only) and bit rate.
    public struct Variant: Sendable, Equatable {
        public var height: Int
        public var bitRate: Int
        public init(height: Int, bitRate: Int) {
            self.height = height
            self.bitRate = bitRate
        }
    }

    /// The index of the variant to record among `variants`.
    public func pick(_ variants: [Variant]) -> Int? {
        let order = variants.indices.sorted { (variants[$0].height, variants[$0].bitRate) < (variants[$1].height, variants[$1].bitRate) }
        switch self {
        case .best: return order.last
        case .worst: return order.first
        case let .height(lines):
            return order.last { variants[$0].height <= lines } ?? order.first
        }
    }
}
