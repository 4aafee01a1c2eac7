import SiaranArchive
import SiaranMedia

/// The HLS playlist of a session, made from its manifest.
public enum SessionPlaylist {
    public static func render(_ manifest: SessionManifest, ended: Bool) -> String {
        HLSPlaylist.render(manifest.segments.map {
            HLSPlaylist.Entry(fileName: $0.file, duration: $0.duration, wallClockStart: $0.wallClockStart,
                              discontinuity: $0.discontinuity, initBytes: $0.initBytes ?? 0, bytes: $0.bytes)
        }, targetDuration: manifest.targetSegmentDuration, ended: ended)
    }
}
