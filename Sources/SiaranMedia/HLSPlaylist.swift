import SiaranCore
import Foundation

/// Renders the HLS media playlist of a session's segments (RFC 8216).
public enum HLSPlaylist {
    /// One line-set per segment.
    public struct Entry: Sendable {
        public var fileName: String
        public var duration: Double
        public var wallClockStart: Date
        public var discontinuity: Bool
        /// fMP4 only: the init section's size at the start of the file (EXT-X-MAP by byte range).
        public var initBytes: Int64
        public var bytes: Int64

        public init(fileName: String, duration: Double, wallClockStart: Date, discontinuity: Bool, initBytes: Int64 = 0, bytes: Int64 = 0) {
            self.fileName = fileName
            self.duration = duration
            self.wallClockStart = wallClockStart
            self.discontinuity = discontinuity
            self.initBytes = initBytes
            self.bytes = bytes
        }
    }

    /// The playlist text. `ended` adds EXT-X-ENDLIST; otherwise the playlist is a growing EVENT playlist.
    public static func render(_ entries: [Entry], targetDuration: Double, ended: Bool) -> String {
        let longest = entries.map(\.duration).max() ?? 0
        let target = Int(max(targetDuration, longest).rounded(.up))
        let fragmented = entries.contains { $0.initBytes > 0 }
        var lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:\(fragmented ? 7 : 3)",
            "#EXT-X-TARGETDURATION:\(max(target, 1))",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:\(ended ? "VOD" : "EVENT")",
            "#EXT-X-INDEPENDENT-SEGMENTS",
        ]
        for (position, entry) in entries.enumerated() {
            if entry.discontinuity && position > 0 { lines.append("#EXT-X-DISCONTINUITY") }
            if entry.initBytes > 0 {
                lines.append("#EXT-X-MAP:URI=\"\(entry.fileName)\",BYTERANGE=\"\(entry.initBytes)@0\"")
                lines.append("#EXT-X-BYTERANGE:\(entry.bytes - entry.initBytes)@\(entry.initBytes)")
            }
            lines.append("#EXT-X-PROGRAM-DATE-TIME:\(ISO8601.format(entry.wallClockStart))")
            lines.append("#EXTINF:\(Decimals.string(entry.duration, places: 3)),")
            lines.append(entry.fileName)
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }
}
