import Foundation

/// Renders the HLS media playlist of a session's segments (RFC 8216).
public enum HLSPlaylist {
    /// The playlist text. `ended` adds EXT-X-ENDLIST; otherwise the playlist is a growing EVENT playlist.
    public static func render(_ entries: [SegmentRecord], targetDuration: Double, ended: Bool) -> String {
        let longest = entries.map(\.duration).max() ?? 0
        let target = Int(max(targetDuration, longest).rounded(.up))
        let fragmented = entries.contains { $0.initBytes != nil || $0.initFile != nil }
        var lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:\(fragmented ? 7 : 3)",
            "#EXT-X-TARGETDURATION:\(max(target, 1))",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:\(ended ? "VOD" : "EVENT")",
            "#EXT-X-INDEPENDENT-SEGMENTS",
        ]
        var map: String?
        for (position, entry) in entries.enumerated() {
            if entry.discontinuity && position > 0 { lines.append("#EXT-X-DISCONTINUITY") }
            if let initFile = entry.initFile, initFile != map {
                // A new EXT-X-MAP only when the init segment changes (repeating an unchanged one
                // after a discontinuity makes some players reload it).
                lines.append("#EXT-X-MAP:URI=\"\(initFile)\"")
                map = initFile
            } else if let initBytes = entry.initBytes {
                lines.append("#EXT-X-MAP:URI=\"\(entry.file)\",BYTERANGE=\"\(initBytes)@0\"")
                lines.append("#EXT-X-BYTERANGE:\(entry.bytes - initBytes)@\(initBytes)")
            }
            lines.append("#EXT-X-PROGRAM-DATE-TIME:\(ISO8601.format(entry.wallClockStart))")
            lines.append("#EXTINF:\(Decimals.string(entry.duration, places: 3)),")
            lines.append(entry.file)
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }
}
