import Foundation

/// One finished segment file.
public struct SegmentRecord: Codable, Sendable, Equatable {
    public var sequence: Int
    public var file: String
    /// Start on the session clock, in seconds.
    public var mediaStart: Double
    public var duration: Double
    public var wallClockStart: Date
    public var bytes: Int64
    /// First segment after a gap or a change of stream parameters.
    public var discontinuity: Bool
    /// fMP4: size of the init section at the start of the file.
    public var initBytes: Int64?

    public init(sequence: Int, file: String, mediaStart: Double, duration: Double, wallClockStart: Date,
                bytes: Int64, discontinuity: Bool, initBytes: Int64? = nil) {
        self.sequence = sequence
        self.file = file
        self.mediaStart = mediaStart
        self.duration = duration
        self.wallClockStart = wallClockStart
        self.bytes = bytes
        self.discontinuity = discontinuity
        self.initBytes = initBytes
    }

    /// Wall-clock end.
    public var wallClockEnd: Date { wallClockStart.addingTimeInterval(duration) }
    /// End on the session clock.
    public var mediaEnd: Double { mediaStart + duration }
}

/// The segment a recorder was writing when the manifest was last saved.
public struct OpenSegmentRecord: Codable, Sendable, Equatable {
    public var sequence: Int
    public var file: String
    public var mediaStart: Double
    public var wallClockStart: Date
    public var discontinuity: Bool

    public init(sequence: Int, file: String, mediaStart: Double, wallClockStart: Date, discontinuity: Bool) {
        self.sequence = sequence
        self.file = file
        self.mediaStart = mediaStart
        self.wallClockStart = wallClockStart
        self.discontinuity = discontinuity
    }
}
