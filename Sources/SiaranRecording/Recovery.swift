import Foundation
import SiaranArchive
import SiaranCore
import SiaranMedia

/// Closes sessions whose recorder died (crash, `kill -9`, power loss): the segment being written is
/// salvaged (its readable packets remuxed into a finished segment) or dropped, the playlist gets its
/// ENDLIST, and the session is marked `interrupted`.
public enum Recovery {
    /// What recovery did to one session.
    public struct Report: Sendable {
        public var sessionID: String
        public var salvaged: String?
        public var dropped: String?

        public var summary: String {
            var text = "recovered session \(sessionID) (its recorder had stopped unexpectedly)"
            if let salvaged { text += "; salvaged the partial segment \(salvaged)" }
            if let dropped { text += "; dropped the unreadable partial segment \(dropped)" }
            return text
        }
    }

    /// A session that could not be recovered, and why.
    public struct Failure: Sendable, CustomStringConvertible {
        public var sessionID: String
        public var reason: String

        public var description: String {
            "cannot recover session \(sessionID): \(reason); it is left as it is (`siaran recover` tries again)"
        }
    }

    /// Recovers every session left in state `recording` by a process that no longer runs. A session
    /// whose recovery fails is set aside (its lock file renamed to `<id>.lock.failed`), so the failure
    /// is reported once, not again by every command; `retryFailed` (as `siaran recover` does) tries
    /// those again.
    public static func recoverAbandoned(in archive: Archive, retryFailed: Bool = false) -> (recovered: [Report], failed: [Failure]) {
        var recovered: [Report] = [], failed: [Failure] = []
        if retryFailed {
            for id in archive.failedRecoveryIDs() { rename(archive.lockPath(of: id) + ".failed", archive.lockPath(of: id)) }
        }
        for id in archive.abandonedSessionIDs() {
            do {
                if let report = try recover(archive: archive, id: id) { recovered.append(report) }
            } catch {
                rename(archive.lockPath(of: id), archive.lockPath(of: id) + ".failed")
                failed.append(Failure(sessionID: id, reason: "\(error)"))
            }
        }
        return (recovered, failed)
    }

    /// Recovers one session if it needs it; nil when it is complete or its recorder is still alive.
    public static func recover(archive: Archive, id: String) throws -> Report? {
        guard let lock = SessionLock(path: archive.lockPath(of: id)) else { return nil }
        defer { withExtendedLifetime(lock) {} }
        var manifest = try archive.loadManifest(id)
        guard manifest.state == .recording else {
            unlink(archive.lockPath(of: id))
            return nil
        }

        var report = Report(sessionID: id)
        let media = archive.mediaDirectory(of: id)
        // A crafted session folder must not make recovery delete or read anything elsewhere.
        guard PlainFile.isPlainFolder(media) else { throw ArchiveError.notPlain(path: media, what: "not a plain folder") }
        let format = SegmentFormat(rawValue: manifest.segmentFormat) ?? .ts
        let formatName = format == .ts ? "mpegts" : "mov"
        if let open = manifest.openSegment {
            let finalPath = media + "/" + open.file
            let partPath = media + "/" + open.partFile
            if PlainFile.isPlainFile(finalPath), !manifest.segments.contains(where: { $0.file == open.file }) {
                // Crashed after the rename but before the manifest was saved: the segment is whole.
                // A CMAF media segment is read with the init segment of the segments before it.
                let initFile = format == .fmp4 ? manifest.segments.last?.initFile ?? newestInitFile(in: media) : nil
                let url = initFile.map { "concat:\(media)/\($0)|\(finalPath)" } ?? finalPath
                if let timing = try? Remux.timing(of: url, formatName: formatName) {
                    var segment = record(open, timing: timing, bytes: fileSize(finalPath), initBytes: nil)
                    segment.initFile = initFile
                    manifest.segments.append(segment)
                }
            } else if PlainFile.isPlainFile(partPath) {
                if let salvaged = try? Remux.salvage(partPath, formatName: formatName, to: finalPath, format: format) {
                    manifest.segments.append(record(open, timing: salvaged, bytes: salvaged.bytes,
                                                    initBytes: salvaged.initBytes > 0 ? salvaged.initBytes : nil))
                    report.salvaged = open.file
                    manifest.warnings.append("segment \(open.file) was salvaged from a partial file after the recorder stopped")
                } else {
                    report.dropped = open.partFile
                }
                unlink(partPath)
            }
        }
        removeLeftovers(in: media)
        // The live captions' unconfirmed words of a recorder that stopped are not shown again.
        LiveCaptionTail.remove(archive: archive, id: id)
        manifest.openSegment = nil
        manifest.state = .interrupted
        manifest.stopReason = "the recorder stopped unexpectedly; recovered \(ISO8601.format(Date()))"
        if let last = manifest.segments.last { manifest.endedAt = last.wallClockEnd }
        if manifest.startedAt == nil { manifest.startedAt = manifest.segments.first?.wallClockStart }
        try archive.saveManifest(manifest)
        try archive.savePlaylist(of: manifest, ended: true)
        unlink(archive.lockPath(of: id))
        return report
    }

    private static func record(_ open: OpenSegmentRecord, timing: RemuxResult, bytes: Int64, initBytes: Int64?) -> SegmentRecord {
        SegmentRecord(sequence: open.sequence, file: open.file, mediaStart: open.mediaStart, duration: timing.duration,
                      wallClockStart: open.wallClockStart, bytes: bytes, discontinuity: open.discontinuity, initBytes: initBytes)
    }

    /// The last init segment written in a media folder (`init-K.mp4` with the highest K).
    private static func newestInitFile(in directory: String) -> String? {
        Archive.names(in: directory).compactMap { name -> (Int, String)? in
            guard name.hasPrefix("init-"), name.hasSuffix(".mp4"), let k = Int(name.dropFirst(5).dropLast(4)) else { return nil }
            return (k, name)
        }.max { $0.0 < $1.0 }?.1
    }

    /// Removes half-written temporaries: `.part` and `.salvage` segments, `.tmp` playlists.
    private static func removeLeftovers(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".part") || name.hasSuffix(".salvage") || name.hasSuffix(".tmp") {
            unlink(directory + "/" + name)
        }
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

