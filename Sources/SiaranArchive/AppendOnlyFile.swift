import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that only grow (captions captured while recording): each append is written whole or not at
/// all (a failed write is cut off again), fsynced, and never through a symbolic link.
public enum AppendOnlyFile {
    /// Appends `data` to `path`, writing `header` first when the file is new or empty.
    public static func append(_ data: Data, to path: String, header: Data = Data()) throws(ArchiveError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw errno == ELOOP ? .notPlain(path: path, what: "a symbolic link") : .io(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, errno: EINVAL) }
        let bytes = info.st_size == 0 ? header + data : data
        var failure = AtomicFile.writeAll(bytes, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if failure != 0 {
            _ = ftruncate(fd, info.st_size)
            throw .io(path: path, errno: failure)
        }
    }
}
