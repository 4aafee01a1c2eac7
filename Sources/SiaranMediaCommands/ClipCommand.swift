import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia

extension Clip: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        let store = archive.open()
        let manifest = try store.loadManifest(try store.resolve(session))
        let start = around.map { max(0, $0 - before) } ?? from!
        let end = around.map { $0 + after } ?? to!
        guard start < manifest.mediaEnd else {
            throw CommandFailure("the session ends at \(Format.clock(manifest.mediaEnd)); \(Format.clock(start)) is beyond it")
        }
        let media = store.mediaDirectory(of: manifest.id)
        // Segments are read only as plain files inside the session's own media folder (never through a link).
        guard PlainFile.isPlainFolder(media) else { throw ArchiveError.notPlain(path: media, what: "not a plain folder") }
        if let linked = manifest.segments.first(where: { !PlainFile.isPlainFile(media + "/" + $0.file) }) {
            throw ArchiveError.notPlain(path: media + "/" + linked.file, what: "missing, or not a plain file")
        }
        let result = try Clipper.clip(manifest.segments, in: media, from: start,
                                      to: min(end, manifest.mediaEnd), output: output,
                                      sessionClock: manifest.segmentFormat == SegmentFormat.ts.rawValue)
        let console = Console()
        for file in result.unreadableSegments {
            console.warn("segment \(file) could not be read to its end; the clip skips the rest of it")
        }
        console.log("clip of \(manifest.id) from \(Format.clock(result.start)) (keyframe) to \(Format.clock(result.end)), \(Format.bytes(result.bytes))")
        print(output)
    }
}
