import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// The crash-safe order of a retention run's deletions, on the archive's side:
/// 1. `stage`: the session's folder leaves the archive in one `rename` to `<archive>/.retention/staged/<id>`
///    (no page, search or command sees it any more; every catalog refresh drops its rows);
/// 2. the caller refreshes the archive's catalog and, for a connected office, pushes to the shared one
///    (the push's removal path), and checks that neither still holds the session;
/// 3. `remove`: only then its files are deleted for good.
/// A run killed anywhere leaves either the session whole in the archive, or its folder in `staged/`
/// (rows possibly still in a catalog until the next refresh or push); the next run (or `siaran
/// serve`'s) finishes steps 2 and 3 before planning anything new. Media is never deleted while a
/// catalog may still point at it.
public struct RetentionStaging: Sendable {
    public let archive: Archive
    public init(archive: Archive) { self.archive = archive }

    public var directory: String { archive.root + "/.retention" }
    public var stagedDirectory: String { directory + "/staged" }
    func staged(_ id: String) -> String { stagedDirectory + "/" + id }

    /// Sessions taken out of the archive whose files are still to be removed.
    public func staged() -> [String] {
        Archive.names(in: stagedDirectory).filter { PlainFile.isPlainName($0) }.sorted()
    }

    func prepare() throws(ArchiveError) {
        for folder in [directory, stagedDirectory] {
            if mkdir(folder, 0o755) != 0, errno != EEXIST { throw .io(path: folder, errno: errno) }
            guard PlainFile.isPlainFolder(folder) else { throw .notPlain(path: folder, what: "not a plain folder") }
        }
    }

    /// Why a planned session was left in the archive after all (it changed since the plan).
    public enum Skip: Error, CustomStringConvertible, Sendable, Equatable {
        case recording(String)
        case pinned(String)
        case gone(String)

        public var description: String {
            switch self {
            case let .recording(id): return "\(id) is being recorded (or waits for recovery): kept"
            case let .pinned(id): return "\(id) was pinned since the plan was made: kept"
            case let .gone(id): return "\(id) is no longer in the archive (or its trash)"
            }
        }
    }

    /// Takes planned session `item` out of the archive, or out of its trash for reason `trash` (step 1),
    /// checking again, just before, that it is not being recorded and not pinned.
    public func stage(_ item: RetentionPlan.Item, by author: String?, now: Date = Date()) throws {
        let id = item.id
        let folder: String
        if item.reason == .trash {
            folder = SessionManager(archive: archive).trashDirectory + "/" + id
            guard PlainFile.isPlainName(id), PlainFile.isPlainFolder(folder) else { throw Skip.gone(id) }
            if SessionManager.pinned(in: EventLog(path: folder + "/events.jsonl").read().events) { throw Skip.pinned(id) }
        } else {
            folder = archive.directory(of: id)
            guard PlainFile.isPlainName(id), PlainFile.isPlainFolder(folder) else { throw Skip.gone(id) }
            if access(archive.lockPath(of: id), F_OK) == 0 || (try? archive.loadManifest(id).state) == .recording { throw Skip.recording(id) }
            if SessionManager(archive: archive).isPinned(id) { throw Skip.pinned(id) }
        }
        try prepare()
        guard access(staged(id), F_OK) != 0 else { throw ArchiveError.notPlain(path: staged(id), what: "a session of that id is already waiting to be removed") }
        guard Glibc.rename(folder, staged(id)) == 0 else { throw ArchiveError.io(path: folder, errno: errno) }
        archive.noteChange()
        try? RetentionLog(archive: archive).append(.init(kind: "staged", at: now, by: author, session: id, title: item.title,
                                                         startedAt: item.startedAt, bytes: item.bytes, reason: item.reason.rawValue))
    }

    /// Deletes a staged session's files for good (step 3): call only once no catalog holds it.
    public func remove(_ id: String, by author: String?, now: Date = Date()) throws {
        guard PlainFile.isPlainName(id) else { return }
        let path = staged(id)
        guard access(path, F_OK) == 0 else { return }
        let bytes = RetentionPlan.diskBytes(path)
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw ArchiveError.notWritable(path: path, reason: Archive.reason(error))
        }
        try? RetentionLog(archive: archive).append(.init(kind: "removed", at: now, by: author, session: id, bytes: bytes))
    }
}
