import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia
#if canImport(Glibc)
import Glibc
#endif

extension Clip: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        // Nothing but the clip goes to standard output.
        if toStandardOutput { try SessionMedia.claimStandardOutput(for: "clip") }
        let store = archive.open()
        let manifest = try store.loadManifest(try store.resolve(session))
        let start = around.map { max(0, $0 - before) } ?? from!
        let end = around.map { $0 + after } ?? to!
        // A session still being recorded is clipped up to its last finished segment.
        let finished = manifest.segments.last?.mediaEnd ?? 0
        guard start < finished else {
            if manifest.state == .recording {
                throw CommandFailure("\(manifest.id) is still being recorded; it is finished up to \(Format.clock(finished)), and \(Format.clock(start)) is beyond that")
            }
            throw CommandFailure("the session ends at \(Format.clock(finished)); \(Format.clock(start)) is beyond it")
        }
        let media = store.mediaDirectory(of: manifest.id)
        try SessionMedia.checkPlain(manifest, media: media)
        let result = try Clipper.clip(manifest.segments, in: media, from: start, to: min(end, finished),
                                      destination: toStandardOutput ? .standardOutput : .file(output),
                                      format: container == .ts ? .ts : .fmp4,
                                      sessionClock: manifest.segmentFormat == SegmentFormat.ts.rawValue)
        let console = Console()
        for file in result.unreadableSegments {
            console.warn("segment \(file) could not be read to its end; the clip skips the rest of it")
        }
        console.log("clip of \(manifest.id) from \(Format.clock(result.start)) (keyframe) to \(Format.clock(result.end)), \(Format.bytes(result.bytes))")
        if !toStandardOutput { print(output) }
    }
}
