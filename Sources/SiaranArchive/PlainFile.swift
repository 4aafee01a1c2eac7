import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading archive files the safe way: only plain files, never through a symbolic link (an archive
/// may come from a tarball, a copy or a git checkout, and git keeps symlinks), and only names that
/// stay in their folder.
public enum PlainFile {
    /// The bytes of the plain file at `path`; nil when it does not exist. Throws when it is a symbolic
    /// link, a folder or a device, naming the file.
    public static func read(_ path: String) throws(ArchiveError) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw .notPlain(path: path, what: "a symbolic link") }
            throw .io(path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notPlain(path: path, what: "not a plain file") }
        var data = Data(count: Int(info.st_size))
        var done = 0
        while done < data.count {
            let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if n < 0 { if errno == EINTR { continue }; throw .io(path: path, errno: errno) }
            if n == 0 { break }
            done += n
        }
        return data.prefix(done)
    }

    /// Opens `relative` (plain names joined by '/') read-only beneath the folder open as `folder`,
    /// following no symbolic link on the way; -1 when any part is a link, hidden, `..`, or missing.
    public static func openBeneath(_ folder: Int32, _ relative: String) -> Int32 {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy(isPlainName) else { return -1 }
        var current = folder
        for (index, part) in parts.enumerated() {
            let last = index == parts.count - 1
            let next = openat(current, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY))
            if current != folder { close(current) }
            guard next >= 0 else { return -1 }
            current = next
        }
        var info = stat()
        guard fstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { close(current); return -1 }
        return current
    }

    /// Whether `path` is a folder itself (not a symbolic link to one).
    public static func isPlainFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` is a plain file itself (not a symbolic link to one).
    public static func isPlainFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `name` is one file name inside its folder: not empty, no '/', not hidden, no NUL.
    public static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") && !name.contains("\0") && name.utf8.count <= 255
    }
}
