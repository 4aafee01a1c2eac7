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
        let captions = corrected(withoutReplacedLiveLines(archive.captionFiles(of: id).compactMap { try? CaptionSource.read(path: $0) }), archive, id)
        return IndexedSession(manifest: manifest, agenda: archive.loadAgenda(id), timeline: timeline, captions: captions,
                              fingerprint: fingerprint ?? self.fingerprint(archive, id))
    }

    /// Live captions are searchable until the final transcript (`asr.vtt`) reaches them; then only its text is.
    static func withoutReplacedLiveLines(_ captions: [CaptionSource]) -> [CaptionSource] {
        guard let final = captions.first(where: { ($0.path as NSString).lastPathComponent == Archive.machineTranscriptName }) else { return captions }
        let finalCues = final.cues.map(\.cue)
        return captions.map { source in
            guard LiveCaptionLines.isLive(source.path) else { return source }
            var source = source
            let kept = Set(LiveCaptionLines.unreplaced(source.cues.map(\.cue), final: finalCues).map(\.start))
            source.cues = source.cues.filter { kept.contains($0.cue.start) }
            return source
        }
    }

    /// Size and modification time of every file the index is derived from.
    public static func fingerprint(_ archive: Archive, _ id: String) -> String {
        let paths = [archive.manifestPath(of: id), archive.eventsPath(of: id), archive.agendaPath(of: id), archive.correctionsPath(of: id)]
            + archive.captionFiles(of: id)
        return paths.map { path -> String in
            var info = stat()
            guard stat(path, &info) == 0 else { return "-" }
            return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }.joined(separator: "|")
    }

    /// The caption files as officers corrected them: each file without the cues a correction replaced,
    /// and the corrected lines from `corrected.vtt` (rewritten here if the corrections say otherwise),
    /// which count as human captions.
    static func corrected(_ captions: [CaptionSource], _ archive: Archive, _ id: String) -> [CaptionSource] {
        let corrections = CorrectionLog(path: archive.correctionsPath(of: id)).read()
        guard !corrections.isEmpty else { return captions }
        let names = captions.map { ($0.path as NSString).lastPathComponent }
        let lines = CorrectedTranscript.apply(files: zip(names, captions).map { ($0, $1.cues.map(\.cue)) }, corrections)
        var kept: [String: Set<Int>] = [:]
        for line in lines { if let index = line.sourceIndex { kept[line.file, default: []].insert(index) } }
        var result = zip(names, captions).map { name, source in
            var source = source
            source.cues = source.cues.enumerated().filter { kept[name]?.contains($0.offset) == true }.map(\.element)
            return source
        }
        let path = archive.correctedCaptionsPath(of: id)
        do {
            if let text = try CorrectedTranscript.writeDerived(lines, archive: archive, id: id) { result.append(CaptionSource.parse(text, path: path)) }
        } catch {
            // Not rewritten (a full disk, a read-only archive): the file as it stands is what is indexed.
            if lines.contains(where: \.corrected), let derived = try? CaptionSource.read(path: path) { result.append(derived) }
        }
        return result
    }
}
