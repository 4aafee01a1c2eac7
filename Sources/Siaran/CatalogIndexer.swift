import Foundation
import SiaranArchive
import SiaranCore

/// Keeps `<archive>/catalog.sqlite` in step with the session files: reads each session's manifest,
/// agenda, tags and captions (Siaran's own WebVTT files), and re-indexes the sessions whose files changed.
public enum CatalogIndexer {
    public static func catalogPath(_ archive: Archive) -> String { archive.root + "/catalog.sqlite" }

    /// How stale the index of a session being recorded may get (seconds).
    public static let liveRefreshInterval: Double = 10

    /// How long the catalog trusts the archive's change marker (changes made by Siaran) before it
    /// compares every session's files again (to see edits made by hand): seconds.
    public static let fullScanInterval: Double = 60

    /// Opens the catalog and brings it up to date (new, changed and removed sessions).
    @discardableResult
    public static func refresh(_ archive: Archive, console: Console? = nil) throws -> Catalog {
        try archive.prepare()
        let catalog = try Catalog(path: catalogPath(archive))
        // Nothing changed since the last look (and that look is recent): no need to stat every session.
        let marker = archive.changeMarker()
        let last = try catalog.lastScan()
        if last.marker == marker, Date().timeIntervalSince(last.at) < fullScanInterval, Date() >= last.at { return catalog }
        if try catalog.needsCompaction() {
            console?.log("compacting the search index (\(try catalog.staleRows()) entries of changed caption files)…")
            try catalog.clear()
        }
        let known = try catalog.indexed()
        let ids = archive.sessionIDs()
        var changed: [(id: String, fingerprint: String, date: Date)] = []
        var postponed = false
        for id in ids {
            let print = fingerprint(archive, id)
            guard known[id]?.fingerprint != print, let manifest = try? archive.loadManifest(id) else { continue }
            // A session being recorded changes with every segment and tag: re-index it at most every
            // `liveRefreshInterval`, so searches during a briefing do not queue up behind index writes.
            if manifest.state == .recording, let last = known[id]?.at, Date().timeIntervalSince(last) < liveRefreshInterval {
                postponed = true
                continue
            }
            changed.append((id, print, manifest.startedAt ?? manifest.createdAt))
        }
        let removed = Set(known.keys).subtracting(ids)
        if !removed.isEmpty { try catalog.remove(Array(removed)) }
        let progress = changed.count > 20 ? console : nil
        progress?.log("indexing \(changed.count) sessions…")
        let started = Date()
        var done = 0
        // Oldest first, so row ids follow session dates; a batch at a time, to bound memory.
        for batch in changed.sorted(by: { $0.date < $1.date }).chunked(50) {
            try catalog.replace(batch.compactMap { try? load(archive, $0.id, fingerprint: $0.fingerprint) },
                                freshAfter: Date(timeIntervalSinceNow: -liveRefreshInterval))
            done += batch.count
            let elapsed = Date().timeIntervalSince(started)
            let left = elapsed / Double(done) * Double(changed.count - done)
            progress?.status("indexed \(done) of \(changed.count) sessions (\(done * 100 / changed.count)%) in \(ClockFormat.string(elapsed))"
                             + (done < changed.count ? ", about \(ClockFormat.string(left.rounded(.up))) left" : ""))
        }
        progress?.finishStatus()
        // A postponed live session must be looked at again by the next refresh. (Best effort: when
        // another process holds the catalog that long, the next refresh simply looks again.)
        try? catalog.setLastScan(marker: postponed ? nil : marker, at: Date())
        return catalog
    }

    /// Deletes and rebuilds the whole catalog from the session files.
    public static func rebuild(_ archive: Archive, console: Console? = nil) throws -> (sessions: Int, documents: Int) {
        for suffix in ["", "-wal", "-shm"] { unlink(catalogPath(archive) + suffix) }
        let catalog = try refresh(archive, console: console)
        try catalog.optimize()
        return (try catalog.fingerprints().count, try catalog.documentCount())
    }

    /// Everything the catalog indexes for one session.
    public static func load(_ archive: Archive, _ id: String, fingerprint: String? = nil) throws -> CatalogSession {
        let manifest = try archive.loadManifest(id)
        let events = EventLog(path: archive.eventsPath(of: id)).read().events
        let timeline = SessionTimeline(events: events, end: manifest.mediaEnd)
        let captions = captionFiles(archive, id).compactMap { try? CaptionSource.read(path: $0) }
        return CatalogSession(manifest: manifest, agenda: archive.loadAgenda(id), timeline: timeline, captions: captions,
                              fingerprint: fingerprint ?? self.fingerprint(archive, id))
    }

    /// The caption files stored with a session.
    public static func captionFiles(_ archive: Archive, _ id: String) -> [String] {
        let folder = archive.captionsDirectory(of: id)
        return Archive.names(in: folder).filter { $0.hasSuffix(".vtt") }.sorted().map { folder + "/" + $0 }
    }

    /// Size and modification time of every file the index is derived from.
    static func fingerprint(_ archive: Archive, _ id: String) -> String {
        let paths = [archive.manifestPath(of: id), archive.eventsPath(of: id), archive.agendaPath(of: id)] + captionFiles(archive, id)
        return paths.map { path -> String in
            var info = stat()
            guard stat(path, &info) == 0 else { return "-" }
            return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }.joined(separator: "|")
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
