import Foundation
import SiaranArchive

/// A finished, imported session made by hand for a test: its manifest, one caption line and its media files.
public enum TestSession {
    /// Adds session "Rapat N" started at `started`, with `caption` as its one line (1–4 s) and `media` files of the given sizes.
    @discardableResult
    public static func add(to archive: Archive, number n: Int, started: Date, caption: String, media sizes: [Int]) throws -> String {
        let id = try archive.createSessionDirectory(title: "Rapat \(n)", date: started)
        var m = SessionManifest(id: id, title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: started, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = started
        m.state = .complete
        try archive.saveManifest(m)
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n\(caption)\n".write(toFile: archive.captionsDirectory(of: id) + "/subtitles.vtt", atomically: true, encoding: .utf8)
        for (f, size) in sizes.enumerated() {
            try Data(count: size).write(to: URL(fileURLWithPath: archive.mediaDirectory(of: id) + "/s\(f).ts"))
        }
        return id
    }
}
