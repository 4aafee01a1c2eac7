import Foundation
import SiaranCore

extension Archive {
    /// Live captions (`record --transcribe`, issue 32): lines agreed by the streaming pass, written
    /// within seconds and kept as the session's captions; `asr.vtt` replaces them where it reaches.
    public static let liveCaptionsName = "asr-live.vtt"
    public func liveCaptionsPath(of id: String) -> String { captionsDirectory(of: id) + "/" + Self.liveCaptionsName }
}

/// Which live lines still count: those the 30 s pass's transcript (`asr.vtt`) has not reached. The
/// transcript, the search index and the HLS subtitle rendition show `asr.vtt` up to its last line
/// and the live lines after it, so a line is never shown twice.
public enum LiveCaptionLines {
    /// Whether `path` is a session's live captions file.
    public static func isLive(_ path: String) -> Bool {
        (path as NSString).lastPathComponent == Archive.liveCaptionsName
    }

    /// The live cues that start after the final transcript's last cue ends.
    public static func unreplaced(_ live: [Cue], final: [Cue]) -> [Cue] {
        guard let reached = final.map(\.end).max() else { return live }
        return live.filter { $0.start >= reached - 0.05 }
    }

    /// `files` (caption file name and cues) with the live file's replaced cues removed.
    public static func current(_ files: [(name: String, cues: [Cue])]) -> [(name: String, cues: [Cue])] {
        guard let final = files.first(where: { $0.name == Archive.machineTranscriptName }) else { return files }
        return files.map { file in
            file.name == Archive.liveCaptionsName ? (name: file.name, cues: unreplaced(file.cues, final: final.cues)) : file
        }
    }

    /// What viewers are shown as captions: the final transcript and the unreplaced live lines, in time order.
    public static func shown(archive: Archive, id: String) -> [Cue] {
        let read = { (path: String) -> [Cue] in
            guard let data = try? PlainFile.read(path) else { return [] }
            return data.withUnsafeBytes { WebVTT.parse($0).map(\.cue) }
        }
        let final = read(archive.machineTranscriptPath(of: id))
        return (final + unreplaced(read(archive.liveCaptionsPath(of: id)), final: final)).sorted { $0.start < $1.start }
    }
}
