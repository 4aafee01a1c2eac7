import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia
#if canImport(Glibc)
import Glibc
#endif

extension Thumbnail: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        if toStandardOutput { try SessionMedia.claimStandardOutput(for: "JPEG") }
        let store = archive.open()
        let manifest = try store.loadManifest(try store.resolve(session))
        // What the manifest knows answers before any file is opened.
        if !manifest.streams.isEmpty && !manifest.streams.contains(where: { $0.kind == .video }) {
            throw CommandFailure("\(manifest.id) has no video (an audio-only session); there is no picture to take")
        }
        let finished = manifest.segments.last?.mediaEnd ?? 0
        guard at < finished else {
            if manifest.state == .recording {
                throw CommandFailure("\(manifest.id) is still being recorded; it is finished up to \(Format.clock(finished)), and \(Format.clock(at)) is beyond that")
            }
            throw CommandFailure("\(manifest.id) is \(Format.clock(finished)) long; \(Format.clock(at)) is beyond its end")
        }
        let media = store.mediaDirectory(of: manifest.id)
        try SessionMedia.checkPlain(manifest, media: media)
        let image = try Thumbnailer.picture(of: manifest.segments, in: media, at: at, width: width,
                                            sessionClock: manifest.segmentFormat == SegmentFormat.ts.rawValue)
        let data = Data(image.jpeg)
        if toStandardOutput {
            let failure = AtomicFile.writeAll(data, to: STDOUT_FILENO)
            if failure != 0 { throw CommandFailure("cannot write the JPEG to standard output: \(String(cString: strerror(failure)))") }
        } else {
            try AtomicFile.write(data, to: output)
        }
        Console().log("picture of \(manifest.id) at \(Format.clock(image.keyframe)) (keyframe), \(image.width)×\(image.height), \(Format.bytes(Int64(data.count)))")
        if !toStandardOutput { print(output) }
    }
}
