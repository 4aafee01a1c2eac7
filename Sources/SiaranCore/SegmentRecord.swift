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
    /// fMP4 of Siaran before 2026-12: size of the init section at the start of the file (each
    /// segment a complete MP4). Nil for TS and for today's fMP4.
    public var initBytes: Int64?
    /// fMP4 (CMAF-style): the init segment (`init-K.mp4` in the media folder) this media segment
    /// (`.m4s`, one moof+mdat on the session's continuous timeline) plays with.
    public var initFile: String?

    public init(sequence: Int, file: String, mediaStart: Double, duration: Double, wallClockStart: Date,
                bytes: Int64, discontinuity: Bool, initBytes: Int64? = nil, initFile: String? = nil) {
        self.sequence = sequence
        self.file = file
        self.mediaStart = mediaStart
        self.duration = duration
        self.wallClockStart = wallClockStart
        self.bytes = bytes
        self.discontinuity = discontinuity
        self.initBytes = initBytes
        self.initFile = initFile
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

    /// What a segment's name ends with while it is written: it is renamed to `file` once finished
    /// (fsynced), so a file under its own name is always whole.
    public static let partSuffix = ".part"
    /// The name it is written under until it is finished.
    public var partFile: String { file + Self.partSuffix }
}
