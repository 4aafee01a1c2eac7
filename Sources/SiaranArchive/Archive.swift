import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// The archive folder: one sub-folder per session (`<id>/session.json`, `<id>/media/`, …).
public struct Archive: Sendable {
    /// The archive folder.
    public let root: String

    /// The archive at `path`, or `$SIARAN_ARCHIVE`, or `./sessions`.
    public init(path: String? = nil) {
        let chosen = path ?? ProcessInfo.processInfo.environment["SIARAN_ARCHIVE"] ?? "sessions"
        root = URL(fileURLWithPath: chosen).standardizedFileURL.path
    }

    public func directory(of id: String) -> String { root + "/" + id }
    public func manifestPath(of id: String) -> String { directory(of: id) + "/session.json" }
    public func mediaDirectory(of id: String) -> String { directory(of: id) + "/media" }
    public func playlistPath(of id: String) -> String { mediaDirectory(of: id) + "/index.m3u8" }
    /// Recorders' locks, one file per session being recorded, all in one folder: finding the sessions
    /// a crashed recorder left open reads this folder, not every session's.
    public var locksDirectory: String { root + "/.locks" }
    public func lockPath(of id: String) -> String { locksDirectory + "/" + id + ".lock" }
    public func eventsPath(of id: String) -> String { directory(of: id) + "/events.jsonl" }
    public func agendaPath(of id: String) -> String { directory(of: id) + "/agenda.json" }
    public func captionsDirectory(of id: String) -> String { directory(of: id) + "/captions" }
    /// The caption file a session's machine transcript (speech-to-text) is written to.
    public static let machineTranscriptName = "asr.vtt"
    public func machineTranscriptPath(of id: String) -> String { captionsDirectory(of: id) + "/" + Self.machineTranscriptName }

    /// The session's agenda/roster, if one was given.
    public func loadAgenda(_ id: String) -> Agenda? {
        guard let data = try? PlainFile.read(agendaPath(of: id)) else { return nil }
        return try? JSONCoding.decoder().decode(Agenda.self, from: data)
    }

    /// Stores (or replaces) the session's agenda/roster.
    public func saveAgenda(_ agenda: Agenda, of id: String) throws(ArchiveError) {
        let data: Data
        do { data = try JSONCoding.encoder().encode(agenda) } catch {
            throw .cannotEncode(path: agendaPath(of: id), reason: "cannot encode the agenda: \(error)")
        }
        try AtomicFile.write(data, to: agendaPath(of: id))
        noteChange()
    }

    /// Makes sure the archive folder exists and can be written.
    public func prepare() throws(ArchiveError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(path: root, reason: Self.reason(error))
        }
        if access(root, W_OK) != 0 { throw .notWritable(path: root, reason: String(cString: strerror(errno))) }
    }

    /// Creates the folder of a new session with a readable, unique id: `YYYY-MM-DD-slug-of-title`
    /// (with `-2`, `-3`… when taken). Safe against another process creating the same id.
    public func createSessionDirectory(title: String, date: Date) throws(ArchiveError) -> String {
        try prepare()
        let day = ISO8601.localDay(date)
        let slug = TextFolding.slug(title)
        let base = slug.isEmpty ? day : "\(day)-\(slug)"
        for attempt in 1...10_000 {
            let id = attempt == 1 ? base : "\(base)-\(attempt)"
            if mkdir(directory(of: id), 0o755) == 0 {
                if mkdir(mediaDirectory(of: id), 0o755) != 0 { throw .io(path: mediaDirectory(of: id), errno: errno) }
                return id
            }
            if errno != EEXIST { throw .notWritable(path: root, reason: String(cString: strerror(errno))) }
        }
        throw .notWritable(path: root, reason: "too many sessions named \(base)")
    }

    /// Ids of all sessions (folders with a session.json), oldest first.
    public func sessionIDs() -> [String] {
        Self.names(in: root).filter { !$0.hasPrefix(".") && access(manifestPath(of: $0), F_OK) == 0 }.sorted()
    }

    /// `<archive>/.changes` grows by a byte whenever Siaran changes a session's manifest, agenda,
    /// tags or captions, so the catalog can tell at a glance whether anything changed since it looked.
    public var changesPath: String { root + "/.changes" }

    /// Records that a session's files changed (see `changesPath`).
    public func noteChange() {
        let fd = open(changesPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        _ = write(fd, "+", 1)
        close(fd)
    }

    /// Changes whenever `noteChange()` is called, and whenever a session folder appears or goes
    /// (one readdir: a session copied into the archive by hand is seen by the next search at once).
    /// (Not the archive folder's own time: the catalog's write-ahead log comes and goes there.)
    public func changeMarker() -> String {
        var changes = stat()
        let noted = stat(changesPath, &changes) == 0 ? "\(changes.st_size):\(changes.st_mtim.tv_sec).\(changes.st_mtim.tv_nsec)" : "-"
        return noted + "|" + sessionListMarker()
    }

    /// The number of sessions and an FNV-1a hash of their ids: changes when a session is added or removed.
    func sessionListMarker() -> String {
        let ids = sessionIDs()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ids.joined(separator: "/").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "\(ids.count):\(String(hash, radix: 16))"
    }

    /// Names of the entries of a folder (none when it cannot be read); plain readdir, for speed on
    /// archives of thousands of sessions.
    public static func names(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The id of the session that `query` names: an exact id or a unique prefix (or substring).
    public func resolve(_ query: String) throws(ArchiveError) -> String {
        let ids = sessionIDs()
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { throw .unknownSession(query, known: ids) }
        if ids.contains(query) { return query }
        let prefixed = ids.filter { $0.hasPrefix(query) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 { throw .ambiguousSession(query, matches: prefixed) }
        let containing = ids.filter { $0.contains(query) }
        if containing.count == 1 { return containing[0] }
        if containing.count > 1 { throw .ambiguousSession(query, matches: containing) }
        throw .unknownSession(query, known: SessionChoice.nearest(query, among: ids))
    }

    /// Reads a session's manifest, and checks that it can be trusted: its id is its folder's name (a
    /// copied folder must not speak for the original) and every file it names is a plain file name
    /// inside the media folder.
    public func loadManifest(_ id: String) throws(ArchiveError) -> SessionManifest {
        let path = manifestPath(of: id)
        guard PlainFile.isPlainName(id), PlainFile.isPlainFolder(directory(of: id)) else {
            throw .notPlain(path: directory(of: id), what: "not a session folder")
        }
        guard let data = try PlainFile.read(path) else { throw .unreadableManifest(path: path, reason: "it does not exist") }
        let manifest: SessionManifest
        do { manifest = try JSONCoding.decoder().decode(SessionManifest.self, from: data) } catch {
            throw .unreadableManifest(path: path, reason: "not a valid session manifest (\(error))")
        }
        guard manifest.id == id else {
            throw .unreadableManifest(path: path, reason: "it says it is session '\(manifest.id)', but its folder is '\(id)'; "
                                      + "a copied session folder needs its own id (edit \"id\" to the folder's name)")
        }
        let names = manifest.segments.flatMap { [$0.file] + ($0.initFile.map { [$0] } ?? []) } + (manifest.openSegment.map { [$0.file] } ?? [])
        if let bad = names.first(where: { !PlainFile.isPlainName($0) }) {
            throw .unreadableManifest(path: path, reason: "it names the segment file '\(bad)', which is not a plain file name in media/")
        }
        return manifest
    }

    /// Writes a session's manifest atomically.
    public func saveManifest(_ manifest: SessionManifest) throws(ArchiveError) {
        let data: Data
        do { data = try JSONCoding.encoder().encode(manifest) } catch {
            throw .cannotEncode(path: manifestPath(of: manifest.id), reason: "cannot encode the manifest: \(error)")
        }
        try AtomicFile.write(data, to: manifestPath(of: manifest.id))
        noteChange()
    }

    /// Writes a session's HLS playlist (made from its manifest's segments) atomically; `ended` adds
    /// EXT-X-ENDLIST (otherwise it is a growing EVENT playlist).
    public func savePlaylist(of manifest: SessionManifest, ended: Bool) throws(ArchiveError) {
        let text = HLSPlaylist.render(manifest.segments, targetDuration: manifest.targetSegmentDuration, ended: ended)
        try AtomicFile.write(Data(text.utf8), to: playlistPath(of: manifest.id))
    }

    /// The session's caption files (Siaran's own WebVTT), in name order.
    /// Only plain files in a plain `captions/` folder count (links are never followed).
    public func captionFiles(of id: String) -> [String] {
        let folder = captionsDirectory(of: id)
        guard PlainFile.isPlainFolder(folder) else { return [] }
        return Self.names(in: folder).filter { $0.hasSuffix(".vtt") && PlainFile.isPlainName($0) }.sorted()
            .map { folder + "/" + $0 }.filter(PlainFile.isPlainFile)
    }

    static func reason(_ error: Error) -> String {
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}
