import Foundation
import SiaranArchive
#if canImport(Glibc)
import Glibc
#endif

/// Reads what a search index holds of one session from its files, and tells when they changed.
public enum SessionIndexLoader {
    /// Everything an index holds for session `id`.
    public static func load(_ archive: Archive, _ id: String, fingerprint: String? = nil) throws -> IndexedSession {
        let manifest = try archive.loadManifest(id)
        let events = EventLog(path: archive.eventsPath(of: id)).read().events
        let timeline = SessionTimeline(events: events, end: manifest.mediaEnd)
        let captions = archive.captionFiles(of: id).compactMap { try? CaptionSource.read(path: $0) }
        return IndexedSession(manifest: manifest, agenda: archive.loadAgenda(id), timeline: timeline, captions: captions,
                              fingerprint: fingerprint ?? self.fingerprint(archive, id))
    }

    /// Size and modification time of every file the index is derived from.
    public static func fingerprint(_ archive: Archive, _ id: String) -> String {
        let paths = [archive.manifestPath(of: id), archive.eventsPath(of: id), archive.agendaPath(of: id)] + archive.captionFiles(of: id)
        return paths.map { path -> String in
            var info = stat()
            guard stat(path, &info) == 0 else { return "-" }
            return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }.joined(separator: "|")
    }
}
