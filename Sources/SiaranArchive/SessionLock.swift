import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock a recorder holds on its session for as long as it runs (flock on
/// `<archive>/.locks/<id>.lock`). The kernel releases it when the process dies, even by `kill -9`, so a
/// session in state `recording` whose lock can be taken was abandoned and needs recovery.
public final class SessionLock: Sendable {
    private let fd: Int32

    /// Takes the lock without waiting; nil when another live process holds it, or it cannot be opened.
    public convenience init?(path: String) {
        guard let fd = try? Self.open(path) else { return nil }
        self.init(fd: fd)
    }

    /// Takes the lock without waiting, saying why it could not.
    public static func take(path: String) throws(ArchiveError) -> SessionLock {
        SessionLock(fd: try open(path))
    }

    /// The lock file, opened (never through a symbolic link) and locked.
    private static func open(_ path: String) throws(ArchiveError) -> Int32 {
        mkdir((path as NSString).deletingLastPathComponent, 0o755)
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw .sessionLocked(path: path)
        }
        return fd
    }

    private init(fd: Int32) {
        self.fd = fd
        // Record who holds it, for people looking at the folder.
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { Glibc.write(fd, $0, strlen($0)) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Whether a live process holds the lock at `path`.
    /// Only looks: a free lock is taken and let go at once, and the holder's pid in the file is left
    /// as it is (the live tail's check asks this at every look while a tail is shown).
    public static func isHeld(path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return errno != ENOENT }  // one that cannot be opened is not taken as free
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }
}

extension Archive {
    /// Sessions whose recorder stopped without closing them (a lock file that no live process holds):
    /// the ones recovery has to look at. A recorder removes its lock file when it closes its session.
    public func abandonedSessionIDs() -> [String] {
        lockedSessionIDs().filter { !SessionLock.isHeld(path: lockPath(of: $0)) }
    }

    /// Sessions whose recovery failed once (set aside as `<id>.lock.failed` until `siaran recover`).
    public func failedRecoveryIDs() -> [String] {
        Self.names(in: locksDirectory).filter { $0.hasSuffix(".lock.failed") }.map { String($0.dropLast(12)) }.sorted()
    }

    /// Sessions with a lock file (recording now, or abandoned).
    public func lockedSessionIDs() -> [String] {
        Self.names(in: locksDirectory).filter { $0.hasSuffix(".lock") }.map { String($0.dropLast(5)) }
            .filter { access(manifestPath(of: $0), F_OK) == 0 }.sorted()
    }
}

/// A blocking exclusive lock (flock on a lock file) held while a small file is read, changed and
/// written, so that writers in several processes or requests never lose each other's changes.
final class ExclusiveFileLock {
    private let fd: Int32

    init(path: String) throws(ArchiveError) {
        mkdir((path as NSString).deletingLastPathComponent, 0o755)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .io(path: path, errno: errno) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { let e = errno; close(fd); throw .io(path: path, errno: e) }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
