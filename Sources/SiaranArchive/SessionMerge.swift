import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

extension SessionManager {
    /// Joins two sessions of one briefing split by a long outage into a new session: the earlier
    /// one's media, tags, captions, transcript, agenda and post, then the later one's media, tags,
    /// captions and transcript after it on the session clock, with the outage between them kept as a
    /// gap of its real (wall-clock) length, as the recorder keeps a reconnect's. Both originals go to
    /// the trash (restorable for `trashDays` days). Media files are copied, not hard-linked: the server
    /// serves only singly linked files (`ServedFile`), so the disk holds both until the purge. Returns
    /// the new session's id.
    public func merge(_ a: String, _ b: String, by author: String?, now: Date = Date()) throws -> String {
        guard a != b else { throw ManageError.mergeSame }
        try notRecording(a)
        try notRecording(b)
        let ma = try archive.loadManifest(a), mb = try archive.loadManifest(b)
        let (first, second) = (ma.startedAt ?? ma.createdAt) <= (mb.startedAt ?? mb.createdAt) ? (ma, mb) : (mb, ma)
        guard first.segmentFormat == second.segmentFormat else { throw ManageError.mergeFormats(first.segmentFormat, second.segmentFormat) }
        let id = try archive.createSessionDirectory(title: first.title, date: first.startedAt ?? first.createdAt)
        do {
            try build(id, first, second, by: author, now: now)
        } catch {
            try? FileManager.default.removeItem(atPath: archive.directory(of: id))
            throw error
        }
        try trash(first.id, by: author, now: now)
        try trash(second.id, by: author, now: now)
        return id
    }

    private func build(_ id: String, _ first: SessionManifest, _ second: SessionManifest, by author: String?, now: Date) throws {
        let offset = first.segments.last?.mediaEnd ?? 0
        let firstEnd = first.endedAt ?? first.segments.last?.wallClockEnd ?? first.createdAt
        let outage = max(0, (second.startedAt ?? second.createdAt).timeIntervalSince(firstEnd))
        var merged = first
        merged.id = id
        merged.state = .complete
        merged.openSegment = nil
        merged.endedAt = second.endedAt ?? second.segments.last?.wallClockEnd ?? merged.endedAt
        merged.reconnects = first.reconnects + second.reconnects
        merged.warnings = first.warnings + second.warnings + ["joined from sessions \(first.id) and \(second.id) (an outage of \(Int(outage)) s between them)"]
        merged.gaps = first.gaps + [GapRecord(wallClockStart: firstEnd, duration: outage, mediaPosition: offset, reason: "outage between \(first.id) and \(second.id), joined")]
            + second.gaps.map { var gap = $0; gap.mediaPosition += offset; return gap }
        let media = archive.mediaDirectory(of: id)
        var sequence = (first.segments.last?.sequence ?? -1) + 1
        for segment in first.segments {
            try place(archive.mediaDirectory(of: first.id) + "/" + segment.file, media + "/" + segment.file)
            if let initFile = segment.initFile, access(media + "/" + initFile, F_OK) != 0 {
                try place(archive.mediaDirectory(of: first.id) + "/" + initFile, media + "/" + initFile)
            }
        }
        for (index, segment) in second.segments.enumerated() {
            var moved = segment
            moved.sequence = sequence
            moved.file = "j" + segment.file  // the later session's files, never clashing with the earlier's
            moved.mediaStart += offset
            moved.discontinuity = segment.discontinuity || index == 0
            moved.initFile = segment.initFile.map { "j" + $0 }
            try place(archive.mediaDirectory(of: second.id) + "/" + segment.file, media + "/" + moved.file)
            if let initFile = segment.initFile, let target = moved.initFile, access(media + "/" + target, F_OK) != 0 {
                try place(archive.mediaDirectory(of: second.id) + "/" + initFile, media + "/" + target)
            }
            merged.segments.append(moved)
            sequence += 1
        }
        try archive.saveManifest(merged)
        try archive.savePlaylist(of: merged, ended: true)

        // Tags: the earlier session's as they are, the later one's moved by the offset; then the join itself.
        var lines = Data()
        let encoder = JSONCoding.encoder(pretty: false)
        for event in EventLog(path: archive.eventsPath(of: first.id)).read().events { lines += try encoder.encode(event) + Data([0x0A]) }
        for var event in EventLog(path: archive.eventsPath(of: second.id)).read().events {
            event.media = event.media.map { $0 + offset }
            lines += try encoder.encode(event) + Data([0x0A])
        }
        var join = SessionEvent(kind: .session, value: "merge", recordedAt: now, author: author ?? Tagger.author)
        join.note = String(decoding: try encoder.encode(["from": "\(first.id) \(second.id)", "outage": String(Int(outage))]), as: UTF8.self)
        lines += try encoder.encode(join) + Data([0x0A])
        try AtomicFile.write(lines, to: archive.eventsPath(of: id))

        // Captions and transcript: the later session's cues after the earlier's, in the file of the same name.
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        var files: [String: Data] = [:]
        for path in archive.captionFiles(of: first.id) { files[(path as NSString).lastPathComponent] = try PlainFile.read(path) ?? Data() }
        for path in archive.captionFiles(of: second.id) {
            let name = (path as NSString).lastPathComponent
            let cues = (try PlainFile.read(path) ?? Data()).withUnsafeBytes { WebVTT.parse($0) }.map { located -> Cue in
                var cue = located.cue
                cue.start += offset
                cue.end += offset
                return cue
            }
            if var existing = files[name] {
                if !existing.isEmpty, existing.last != 0x0A { existing.append(0x0A) }
                existing += Data(("\n" + WebVTT.renderBlocks(cues)).utf8)
                files[name] = existing
            } else {
                files[name] = Data(WebVTT.render(cues).utf8)
            }
        }
        for (name, data) in files { try AtomicFile.write(data, to: archive.captionsDirectory(of: id) + "/" + name) }
        // Transcript corrections: the earlier session's as they are, the later one's moved by the offset.
        let corrections = CorrectionLog(path: archive.correctionsPath(of: id))
        for correction in CorrectionLog(path: archive.correctionsPath(of: first.id)).read() { try corrections.append(correction) }
        for var correction in CorrectionLog(path: archive.correctionsPath(of: second.id)).read() {
            correction.at += offset
            try corrections.append(correction)
        }
        try CorrectedTranscript.writeDerived(CorrectedTranscript.lines(archive: archive, id: id), archive: archive, id: id)
        if let agenda = archive.loadAgenda(first.id) ?? archive.loadAgenda(second.id) { try archive.saveAgenda(agenda, of: id) }
        for file in ["post.json", "post-photo.jpg"] {
            let from = archive.directory(of: first.id) + "/" + file
            if PlainFile.isPlainFile(from) { try place(from, archive.directory(of: id) + "/" + file) }
        }
        archive.noteChange()
    }

    /// A copy of the plain file `from` at `to` (never through a symbolic link).
    private func place(_ from: String, _ to: String) throws {
        guard PlainFile.isPlainFile(from) else { throw ArchiveError.notPlain(path: from, what: "not a plain file") }
        do { try FileManager.default.copyItem(atPath: from, toPath: to) } catch {
            throw ArchiveError.notWritable(path: to, reason: Archive.reason(error))
        }
    }
}
