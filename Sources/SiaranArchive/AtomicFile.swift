import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files so that a reader or a crash sees either the old or the new content, never half:
/// write `NAME.tmp`, fsync, rename over `NAME`, fsync the folder.
public enum AtomicFile {
    /// Replaces `path` with `data` atomically and durably; the new file gets permissions `mode`
    /// from its first byte (0o600 for secrets such as the users file).
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws(ArchiveError) {
        let temporary = path + ".tmp"
        // A leftover temporary (a crash, or one planted as a symbolic link) is removed, never written
        // through: the new one is created afresh, and never through a link.
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if fd >= 0 { fchmod(fd, mode) }
        if fd < 0 { throw ArchiveError.io(path: temporary, errno: errno) }
        var failure = writeAll(data, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure != 0 { unlink(temporary); throw ArchiveError.io(path: path, errno: failure) }
        if rename(temporary, path) != 0 { let e = errno; unlink(temporary); throw ArchiveError.io(path: path, errno: e) }
        syncDirectory(of: path)
    }

    /// Writes all of `data` to `fd` (retrying short writes and EINTR); the errno of a failure, or 0.
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
    }

    /// fsyncs the folder holding `path`, so a rename in it survives a crash.
    public static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
