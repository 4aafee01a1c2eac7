import Foundation

/// A session's captions as an HLS WebVTT subtitle rendition (RFC 8216 §3.5, §4.3.4.1): a master
/// playlist naming the session's media playlist and the subtitle playlist, and one WebVTT segment
/// per media segment (same durations, so players fetch them in step). Segments carry
/// `X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000`: Siaran's media timestamps are the session clock
/// (time 0 is PTS 0), so a cue's time is its session time.
public enum HLSSubtitles {
    /// The master playlist: the media playlist at `media`, the subtitles at `subtitles`.
    public static func master(media: String, subtitles: String, bandwidth: Int, language: String, name: String) -> String {
        [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            "#EXT-X-INDEPENDENT-SEGMENTS",
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"\(quoted(name))\",LANGUAGE=\"\(quoted(language))\",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI=\"\(quoted(subtitles))\"",
            "#EXT-X-STREAM-INF:BANDWIDTH=\(max(bandwidth, 1)),SUBTITLES=\"subs\"",
            media,
        ].joined(separator: "\n") + "\n"
    }

    /// The subtitle playlist: segment `N` is `segment(N)` and spans media segment N.
    public static func playlist(_ segments: [SegmentRecord], targetDuration: Double, ended: Bool, segment: (Int) -> String) -> String {
        let longest = segments.map(\.duration).max() ?? 0
        var lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            "#EXT-X-TARGETDURATION:\(max(Int(max(targetDuration, longest).rounded(.up)), 1))",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:\(ended ? "VOD" : "EVENT")",
        ]
        for (position, entry) in segments.enumerated() {
            if entry.discontinuity && position > 0 { lines.append("#EXT-X-DISCONTINUITY") }
            lines.append("#EXTINF:\(Decimals.string(entry.duration, places: 3)),")
            lines.append(segment(position))
        }
        if ended { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One WebVTT segment: the cues that overlap [start, end) (each in the first segment it overlaps
    /// would drop it from players that join later, so every overlapping segment carries it; players
    /// de-duplicate identical cues).
    public static func segment(_ cues: [Cue], start: Double, end: Double) -> String {
        let inside = cues.filter { $0.end > start && $0.start < end }
        return "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n" + WebVTT.renderBlocks(inside)
    }

    /// A quoted-string attribute value holds no `"` and no line break.
    static func quoted(_ value: String) -> String {
        String(value.filter { $0 != "\"" && !$0.isNewline })
    }
}
