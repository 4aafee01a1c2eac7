import Foundation

/// One timed caption or transcript line.
public struct Cue: Sendable, Equatable, Codable {
    /// Seconds from the start of the media.
    public var start: Double
    public var end: Double
    public var text: String

    public init(start: Double, end: Double, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}
