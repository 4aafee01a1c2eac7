import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SiaranCore

extension Archive {
    /// The unconfirmed tail of the live captions (issue 32): the words the newest live pass heard
    /// that two passes have not agreed on yet. Never a caption file (not `.vtt`: no index, no
    /// transcript, no quote reads it); replaced by each pass, removed when the recording ends.
    public static let liveCaptionTailName = "asr-live-tail.json"
    public func liveCaptionTailPath(of id: String) -> String { captionsDirectory(of: id) + "/" + Self.liveCaptionTailName }
}

/// The words a live session's recorder heard but has not confirmed yet, shown greyed after the live
/// lines ("belum pasti") and replaced as they are agreed. The recorder replaces the file atomically
/// after every pass and removes it at the end; a reader trusts it only while the recorder holds the
/// session's lock and only if it was written within `maximumAge` (a recorder killed with `kill -9`
/// leaves a stale file behind, which is never shown as current, and recovery removes it).
public struct LiveCaptionTail: Codable, Sendable, Equatable {
    /// One unconfirmed word on the session clock.
    public struct Word: Codable, Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var text: String

        public init(start: Double, end: Double, text: String) {
            self.start = start
            self.end = end
            self.text = text
        }
    }

    /// When the recorder wrote it (seconds since 1970).
    public var written: Double
    public var words: [Word]

    public init(written: Double, words: [Word]) {
        self.written = written
        self.words = words
    }

    /// A tail older than this is stale (passes come every few seconds; about 12 s on a loaded machine).
    public static let maximumAge = 30.0
    /// The most words written (the newest kept) and the largest file read.
    public static let mostWords = 200
    public static let maximumBytes = 64 * 1024

    /// Replaces the tail of session `id` with `words` (the newest `mostWords`), written now.
    public static func write(_ words: [Word], archive: Archive, id: String, now: Date = Date()) throws(ArchiveError) {
        let tail = LiveCaptionTail(written: now.timeIntervalSince1970, words: Array(words.suffix(mostWords)))
        let data: Data
        do { data = try JSONEncoder().encode(tail) } catch {
            throw .cannotEncode(path: archive.liveCaptionTailPath(of: id), reason: "\(error)")
        }
        try AtomicFile.write(data, to: archive.liveCaptionTailPath(of: id))
    }

    /// Removes the tail of session `id` (the recording ended, or recovery after a crash). Only in a
    /// plain captions folder: a linked folder is never written through.
    public static func remove(archive: Archive, id: String) {
        let folder = archive.captionsDirectory(of: id)
        guard PlainFile.isPlainFolder(folder) else { return }
        let path = archive.liveCaptionTailPath(of: id)
        unlink(path)
        unlink(path + ".tmp")
    }

    /// The tail of session `id` if it is current: a plain file (never through a symbolic link) in a
    /// plain captions folder, at most `maximumBytes`, written within `maximumAge` of `now`, while a
    /// recorder holds the session's lock. Nil otherwise.
    public static func current(archive: Archive, id: String, now: Date = Date()) -> LiveCaptionTail? {
        guard let tail = read(archive: archive, id: id), tail.isFresh(now: now),
              SessionLock.isHeld(path: archive.lockPath(of: id)) else { return nil }
        return tail
    }

    /// Whether it was written within `maximumAge` of `now` (and not from the future beyond a second's slack).
    public func isFresh(now: Date = Date()) -> Bool {
        let age = now.timeIntervalSince1970 - written
        return age <= Self.maximumAge && age >= -1
    }

    /// The tail file as written, whatever its age; nil when missing, not a plain file, too large or unreadable.
    public static func read(archive: Archive, id: String) -> LiveCaptionTail? {
        guard PlainFile.isPlainFolder(archive.captionsDirectory(of: id)) else { return nil }
        let fd = open(archive.liveCaptionTailPath(of: id), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0, info.st_size <= maximumBytes else { return nil }
        var data = Data(count: Int(info.st_size))
        let count = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard count == data.count else { return nil }
        return try? JSONDecoder().decode(LiveCaptionTail.self, from: data)
    }
}
