import Foundation

/// One timed caption or transcript line.
public struct Cue: Sendable, Equatable, Codable {
    /// Seconds from the start of the media.
    public var start: Double
    public var end: Double
    public var text: String
    /// Who speaks, from the caption file's voice tag (`<v Name>`), when it has one.
    public var voice: String?

    public init(start: Double, end: Double, text: String, voice: String? = nil) {
        self.start = start
        self.end = end
        self.text = text
        self.voice = voice
    }
}
