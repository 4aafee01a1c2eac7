/// The container segments are written in.
public enum SegmentFormat: String, Codable, Sendable, CaseIterable {
    /// MPEG-TS: each segment stands alone, the classic HLS format.
    case ts
    /// Fragmented MP4, CMAF-style: an init segment (`init-K.mp4`) per set of codec parameters, and
    /// media segments (`.m4s`) on one continuous timeline.
    case fmp4

    /// File name extension of a segment.
    public var fileExtension: String { self == .ts ? "ts" : "m4s" }
}
