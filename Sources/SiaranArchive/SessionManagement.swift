import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// An admin's changes to whole sessions: rename, edit the description, delete to the trash
/// (`<archive>/.trash/<id>/`, kept `trashDays` days, restorable), and the purge of what has been
/// there longer. Never for a session being recorded (its `SessionLock` is held). Each change is an
/// event (`kind: session`, its `value` saying what) in the session's own append-only log, with its
/// author; the catalog sees the change at once (`noteChange`, and a folder gone from the archive).
public struct SessionManager: Sendable {
    public let archive: Archive
    /// How long a deleted session stays restorable.
    public static let trashDays = 30

    public init(archive: Archive) { self.archive = archive }

    public var trashDirectory: String { archive.root + "/.trash" }
    /// The trash, laid out as the archive is: one folder per deleted session, its files as they were.
    var bin: Archive { Archive(path: trashDirectory) }
    func trashed(_ id: String) -> String { bin.directory(of: id) }

    /// A session in the trash: its id, title and when (and by whom) it was deleted.
    public struct TrashedSession: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var deletedAt: Date
        public var deletedBy: String?
        /// When the purge removes it for good.
        public var purgeAfter: Date
    }

    /// Gives session `id` the title `title` (1 to 200 characters, one line).
    public func rename(_ id: String, to title: String, by author: String?, now: Date = Date()) throws {
        let clean = TerminalText.safe(title, keepLineBreaks: false).trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty, clean.count <= 200 else { throw ManageError.badTitle(length: clean.count) }
        try notRecording(id)
        var manifest = try archive.loadManifest(id)
        let old = manifest.title
        manifest.title = clean
        try log(id, "rename", ["from": old, "to": clean], by: author, now: now)
        try archive.saveManifest(manifest)
    }

    /// Sets (or with nil or blank text clears) the session's description, kept in its agenda.
    public func describe(_ id: String, as text: String?, by author: String?, now: Date = Date()) throws {
        let clean = text.map { TerminalText.safe($0, keepLineBreaks: true).trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        guard (clean?.count ?? 0) <= 5_000 else { throw ManageError.longDescription(limit: 5_000) }
        try notRecording(id)
        _ = try archive.loadManifest(id)
        var agenda = archive.loadAgenda(id) ?? Agenda()
        agenda.description = clean
        try log(id, "describe", ["to": clean ?? ""], by: author, now: now)
        try archive.saveAgenda(agenda, of: id)
    }

    /// Moves session `id` into the trash (one rename: the folder leaves the archive whole).
    public func trash(_ id: String, by author: String?, now: Date = Date()) throws {
        try notRecording(id)
        _ = try archive.loadManifest(id)
        try prepareTrash()
        guard access(trashed(id), F_OK) != 0 else {
            throw ManageError.inTrashAlready(id)
        }
        try log(id, "trash", [:], by: author, now: now)
        guard Glibc.rename(archive.directory(of: id), trashed(id)) == 0 else { throw ArchiveError.io(path: archive.directory(of: id), errno: errno) }
        archive.noteChange()
    }

    /// Brings session `id` back from the trash, under the same id.
    public func restore(_ id: String, by author: String?, now: Date = Date()) throws {
        guard PlainFile.isPlainName(id), PlainFile.isPlainFolder(trashed(id)) else {
            throw ManageError.notInTrash(id)
        }
        guard access(archive.directory(of: id), F_OK) != 0 else {
            throw ManageError.idTaken(id)
        }
        guard Glibc.rename(trashed(id), archive.directory(of: id)) == 0 else { throw ArchiveError.io(path: trashed(id), errno: errno) }
        try log(id, "restore", [:], by: author, now: now)
        archive.noteChange()
    }

    /// The sessions in the trash, most recently deleted first.
    public func trash() -> [TrashedSession] {
        let bin = bin
        return Archive.names(in: trashDirectory).filter { PlainFile.isPlainName($0) && PlainFile.isPlainFolder(trashed($0)) }.compactMap { id in
            let events = EventLog(path: bin.eventsPath(of: id)).read().events
            guard let deleted = events.last(where: { $0.kind == .session && $0.value == "trash" }) else { return nil }
            let title = (try? bin.loadManifest(id))?.title ?? id
            return TrashedSession(id: id, title: title, deletedAt: deleted.recordedAt, deletedBy: deleted.author,
                                  purgeAfter: deleted.recordedAt.addingTimeInterval(Double(Self.trashDays) * 86400))
        }.sorted { $0.deletedAt > $1.deletedAt }
    }

    /// Removes for good the sessions deleted more than `trashDays` ago (all of them with `everything`):
    /// the ids removed. The catalog already dropped their rows when they left the archive.
    @discardableResult
    public func purge(now: Date = Date(), everything: Bool = false) throws(ArchiveError) -> [String] {
        var removed: [String] = []
        for session in trash() where everything || session.purgeAfter <= now {
            do { try FileManager.default.removeItem(atPath: trashed(session.id)) } catch {
                throw .notWritable(path: trashed(session.id), reason: Archive.reason(error))
            }
            removed.append(session.id)
        }
        return removed
    }

    /// Refuses a session being recorded now.
    func notRecording(_ id: String) throws {
        if SessionLock.isHeld(path: archive.lockPath(of: id)) { throw ManageError.recording(id) }
    }

    func prepareTrash() throws(ArchiveError) {
        if mkdir(trashDirectory, 0o755) != 0, errno != EEXIST { throw .io(path: trashDirectory, errno: errno) }
        guard PlainFile.isPlainFolder(trashDirectory) else { throw .notPlain(path: trashDirectory, what: "not a plain folder") }
    }

    /// One `session` event in the session's log: what changed (`value`), the details as JSON in `note`.
    func log(_ id: String, _ change: String, _ details: [String: String], by author: String?, now: Date) throws(ArchiveError) {
        var event = SessionEvent(kind: .session, value: change, recordedAt: now, author: author ?? Tagger.author)
        if !details.isEmpty, let data = try? JSONCoding.encoder(pretty: false).encode(details) { event.note = String(decoding: data, as: UTF8.self) }
        try EventLog(path: archive.eventsPath(of: id)).append(event)
    }
}

/// Why a change to a whole session was refused.
public enum ManageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The session is being recorded now (its lock is held).
    case recording(String)
    case badTitle(length: Int)
    case longDescription(limit: Int)
    /// The trash already holds a session of that id.
    case inTrashAlready(String)
    case notInTrash(String)
    /// A session of that id is in the archive again.
    case idTaken(String)
    /// A session cannot be joined with itself.
    case mergeSame
    /// TS and fMP4 sessions cannot be joined into one playlist.
    case mergeFormats(String, String)

    public var description: String {
        switch self {
        case let .recording(id): return "session \(id) is being recorded now; rename, describe or delete it after the recording ends"
        case let .badTitle(length): return "a session's title must be 1 to 200 characters on one line (it was \(length))"
        case let .longDescription(limit): return "a description may be at most \(limit) characters"
        case let .inTrashAlready(id): return "the trash already holds a session \(id); restore it or purge it first (`siaran sessions --trash`)"
        case let .notInTrash(id): return "the trash holds no session \(id); `siaran sessions --trash` lists it"
        case let .idTaken(id): return "a session \(id) is in the archive again; rename or delete it before restoring this one"
        case .mergeSame: return "choose two different sessions to join"
        case let .mergeFormats(a, b): return "a \(a) session and a \(b) session cannot be joined into one recording"
        }
    }
}
