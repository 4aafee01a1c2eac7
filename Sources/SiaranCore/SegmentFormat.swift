/// The container segments are written in.
public enum SegmentFormat: String, Codable, Sendable, CaseIterable {
    /// MPEG-TS: each segment stands alone, the classic HLS format.
    case ts
    /// Fragmented MP4: each segment is a complete fragmented MP4 (its own init section first).
    case fmp4

    /// File name extension of a segment.
    public var fileExtension: String { self == .ts ? "ts" : "mp4" }
}
