import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SiaranArchive
import SiaranCore

/// Follows the lines appended to the sessions being recorded (`captions/asr-live.vtt`, the live
/// captions, and `captions/asr.vtt`, the 30 s transcript: both only grow, by whole WebVTT blocks),
/// so that alerts look at each line as it is written instead of at the next re-index of the session.
struct LiveLineFollower {
    /// Bytes already read of each followed file.
    private var offsets: [String: Int] = [:]
    private var started = false
    /// The most new bytes read of one file at one look (more: the look starts at the file's end).
    static let maximumRead = 256 * 1024

    /// The text of the cues appended to the files of sessions `recording` since the last look, by
    /// session. At the first look the files' present ends are the starting points (what was there
    /// is the ordinary re-index's); a session first seen later is read from its files' start.
    mutating func fresh(_ archive: Archive, recording: [String]) -> [String: [String]] {
        var found: [String: [String]] = [:]
        var kept: [String: Int] = [:]
        for id in recording {
            // Only plain files in a plain folder: a crafted archive's symbolic link is never followed out of it.
            guard PlainFile.isPlainFolder(archive.captionsDirectory(of: id)) else { continue }
            for path in [archive.liveCaptionsPath(of: id), archive.machineTranscriptPath(of: id)] {
                let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
                guard fd >= 0 else { continue }
                defer { close(fd) }
                var info = stat()
                guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                let size = Int(info.st_size)
                var from = offsets[path] ?? (started ? 0 : size)
                // A file written anew (shorter than what was read) is read again from its start.
                if from > size { from = 0 }
                kept[path] = from
                guard size > from else { continue }
                if size - from > Self.maximumRead { from = size - Self.maximumRead }
                var data = Data(count: size - from)
                let read = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(from)) }
                guard read > 0 else { continue }
                data = data.prefix(read)
                // Up to the last whole block (a block still being written is read at the next look).
                guard let end = data.lastRange(of: Data("\n\n".utf8))?.upperBound else { continue }
                kept[path] = from + end
                let texts = data[..<end].withUnsafeBytes { WebVTT.parse($0) }.map(\.cue.text)
                if !texts.isEmpty { found[id, default: []] += texts }
            }
        }
        // Sessions no longer recorded are forgotten.
        offsets = kept
        started = true
        return found
    }
}
