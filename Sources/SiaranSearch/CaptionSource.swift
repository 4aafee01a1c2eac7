import Foundation
import SiaranArchive
import SiaranCore

/// One of a session's caption files (Siaran's own WebVTT) as the catalog indexes it. The catalog keeps
/// no caption text: only where each cue's text stands in this file, so it reads snippets from here.
public struct CaptionSource: Sendable {
    public var path: String
    public var cues: [WebVTT.Located]
    /// Length of the file and a hash of it, so that the catalog can tell later whether the text it
    /// indexed is still there to be read (to remove it from the index exactly).
    public var bytes: Int
    public var hash: Int64

    /// Whether the caption file at `path` is a machine transcript.
    public static func isMachineTranscript(_ path: String) -> Bool {
        (path as NSString).lastPathComponent == Archive.machineTranscriptName || LiveCaptionLines.isLive(path)
    }

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws -> CaptionSource {
        guard let data = try PlainFile.read(path) else { throw ArchiveError.unreadableManifest(path: path, reason: "it does not exist") }
        return parse(data, path: path)
    }

    /// Parses `data`, the text of the caption file at `path` (one just written, not read again).
    public static func parse(_ data: Data, path: String) -> CaptionSource {
        data.withUnsafeBytes { raw in
            CaptionSource(path: path, cues: WebVTT.parse(raw), bytes: raw.count, hash: hash(raw))
        }
    }

    /// Writes `cues` as Siaran's WebVTT to `path` and reads it back (for tests and tools).
    public static func write(_ cues: [Cue], to path: String) throws -> CaptionSource {
        try AtomicFile.write(Data(WebVTT.render(cues).utf8), to: path)
        return try read(path: path)
    }

    /// 64-bit FNV-1a.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: h)
    }
}
