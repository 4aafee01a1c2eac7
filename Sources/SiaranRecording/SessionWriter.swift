import Foundation
import Logging
import SiaranArchive
import SiaranCore
import SiaranMedia
#if canImport(Glibc)
import Glibc
#endif

/// The files of the session being recorded: creates the session (folder, lock, manifest, agenda),
/// adds each finished segment to manifest and playlist (atomically), appends caption cues captured
/// from the stream to `captions/live.vtt`, and closes the session.
final class SessionWriter {
    let archive: Archive
    private(set) var manifest: SessionManifest
    private let lock: SessionLock
    private let logger: Logger
    /// Import: the manifest is saved at most once a second (live: after every segment).
    private let isImport: Bool
    private var lastSave = Date.distantPast
    private var pendingSave = false
    /// Cues appended to `captions/live.vtt` so far.
    private(set) var capturedCues = 0

    /// Creates a new session folder for `title` and takes its lock (refusing to go on without it).
    init(archive: Archive, title: String, date: Date, manifest makeManifest: (String) -> SessionManifest,
         agenda: Agenda?, isImport: Bool, logger: Logger) throws {
        self.archive = archive
        self.logger = logger
        self.isImport = isImport
        let id = try archive.createSessionDirectory(title: title, date: date)
        lock = try SessionLock.take(path: archive.lockPath(of: id))
        manifest = makeManifest(id)
        if let agenda { try archive.saveAgenda(agenda, of: id) }
    }

    var id: String { manifest.id }

    /// Changes the manifest (saved by the next `save`).
    func update(_ change: (inout SessionManifest) -> Void) { change(&manifest) }

    /// Adds a finished segment (and the caption cues captured until now).
    func add(_ segment: SegmentRecord, openSegment: OpenSegmentRecord?, cues: [Cue], waitOnDiskFull: Bool) throws {
        appendCaptured(cues)
        manifest.segments.append(segment)
        if manifest.startedAt == nil { manifest.startedAt = segment.wallClockStart }
        manifest.endedAt = segment.wallClockEnd
        do {
            try save(openSegment: openSegment, force: !isImport)
        } catch let error as ArchiveError where waitOnDiskFull {
            // The segment is on disk; the manifest catches up at the next save once space is back.
            logger.warning("\(error)")
        }
    }

    /// Saves manifest and playlist; unless `force`, at most once a second (later calls catch up).
    func save(openSegment: OpenSegmentRecord?, force: Bool) throws {
        if !force && Date().timeIntervalSince(lastSave) < 1 { pendingSave = true; return }
        manifest.openSegment = openSegment
        try archive.saveManifest(manifest)
        try archive.savePlaylist(of: manifest, ended: manifest.state != .recording)
        lastSave = Date()
        pendingSave = false
    }

    /// Saves when an earlier save was put off.
    func saveIfPending(openSegment: OpenSegmentRecord?) throws {
        if pendingSave { try save(openSegment: openSegment, force: false) }
    }

    /// Appends cues captured from the source's subtitle streams to `captions/live.vtt` (created with
    /// its header on the first cue). Appending keeps a long session's captions linear in their size.
    func appendCaptured(_ cues: [Cue]) {
        guard !cues.isEmpty else { return }
        let folder = archive.captionsDirectory(of: id)
        let path = folder + "/live.vtt"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try AppendOnlyFile.append(Data(WebVTT.renderBlocks(cues).utf8), to: path, header: Data(WebVTT.header.utf8))
            capturedCues += cues.count
            archive.noteChange()
        } catch {
            logger.warning("cannot save the captions captured from the stream: \(error)")
        }
    }

    /// A closed session needs no recovery: its lock file goes, so recovery scans stay cheap.
    func releaseLock() {
        if manifest.state != .recording { unlink(archive.lockPath(of: id)) }
    }
}
