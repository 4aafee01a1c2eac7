import Foundation
import SiaranArchive
import SiaranCore
import SiaranMedia

/// Caption files from outside (any WebVTT or SRT libav reads), stored with a session in Siaran's own form.
public enum CaptionImport {
    /// What attaching a caption file did.
    public struct Attached: Sendable {
        public var path: String
        public var cues: Int
        /// Cues that start after the end of the recording (a wrong --offset, or a longer transcript).
        public var beyondEnd: Int
        /// Why libav stopped reading before the end of the file, if it did (the cues before are kept).
        public var stoppedEarly: String?
    }

    /// Stores a caption file with a session (as normalised WebVTT).
    public static func attach(_ archive: Archive, _ id: String, file: String, offset: Double = 0) throws -> Attached {
        let contents = try CaptionReader.read(path: file)
        let cues = contents.cues.map { Cue(start: $0.start + offset, end: $0.end + offset, text: $0.text, voice: $0.voice) }
        guard !cues.isEmpty else { throw MediaError.cannotOpen(source: file, reason: "it has no caption cues") }
        let folder = archive.captionsDirectory(of: id)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let number = archive.captionFiles(of: id).count + 1
        let base = TextFolding.slug(((file as NSString).lastPathComponent as NSString).deletingPathExtension, limit: 40)
        let path = folder + "/" + Decimals.padded(number, width: 2) + (base.isEmpty ? "" : "-" + base) + ".vtt"
        try AtomicFile.write(Data(WebVTT.render(cues).utf8), to: path)
        archive.noteChange()
        let end = try archive.loadManifest(id).mediaEnd
        return Attached(path: path, cues: cues.count, beyondEnd: cues.filter { $0.start > end + 1 }.count, stoppedEarly: contents.stoppedEarly)
    }
}
