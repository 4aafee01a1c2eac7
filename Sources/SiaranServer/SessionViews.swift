import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

/// One session as the archive page and `GET /api/sessions` show it.
struct SessionSummary: Codable, Sendable {
    var id: String
    var title: String
    /// recording (a recorder is writing it now), complete, interrupted, or stale (its recorder died
    /// and `siaran recover` has not closed it yet).
    var state: String
    var live: Bool
    var kind: String
    var createdAt: Date
    var startedAt: Date?
    var endedAt: Date?
    var duration: Double
    var speakers: [String]
    var topics: [String]
    var hasVideo: Bool
    var gaps: Int
    var playlist: String
    var thumbnail: String?
    /// Retention never deletes it (`SessionManager.pin`).
    var pinned: Bool

    init(archive: Archive, manifest m: SessionManifest, timeline: SessionTimeline, pinned: Bool) {
        id = m.id
        title = m.title
        live = m.state == .recording && SessionLock.isHeld(path: archive.lockPath(of: m.id))
        state = m.state == .recording && !live ? "stale" : m.state.rawValue
        kind = m.kind.rawValue
        createdAt = m.createdAt
        startedAt = m.startedAt
        endedAt = m.endedAt
        duration = live ? m.mediaEnd : m.mediaDuration
        var seen = Set<String>()
        speakers = timeline.speakerTurns.map(\.value).filter { seen.insert($0).inserted }
        seen = []
        topics = timeline.topics.map(\.value).filter { seen.insert($0).inserted }
        hasVideo = m.streams.contains { $0.kind == .video }
        gaps = m.gaps.count
        playlist = "/media/\(m.id)/index.m3u8"
        thumbnail = hasVideo && !m.segments.isEmpty ? "/api/sessions/\(m.id)/thumbnail" : nil
        self.pinned = pinned
    }

    var date: Date { startedAt ?? createdAt }
}

/// Everything the session page shows, as `GET /api/sessions/{id}` gives it.
struct SessionDetailView: Codable, Sendable {
    struct Gap: Codable, Sendable {
        var at: Double
        var duration: Double
        var reason: String
    }
    struct Caption: Codable, Sendable {
        var name: String
        var url: String
        var machineTranscript: Bool
    }
    struct Stream: Codable, Sendable {
        var kind: String
        var summary: String
    }

    var session: SessionSummary
    var source: String
    var agenda: Agenda?
    var timeline: SessionTimeline
    var gaps: [Gap]
    var captions: [Caption]
    var streams: [Stream]
    var stopReason: String?
    var warnings: [String]
    var recording: RecordingStatus?
    /// Whether the agenda's day differs from the recording's, and which the report and post print.
    var agendaDate: AgendaDateCheck?

    /// `signedIn`: false for an anonymous visitor of a public server, who sees the officers' tags
    /// but none of the voices' unconfirmed suggestions (an inference from biometric data, UU 27/2022).
    init(archive: Archive, details d: SessionDetails, zone: TimeZone, signedIn: Bool) {
        let m = d.session
        session = SessionSummary(archive: archive, manifest: m, timeline: d.timeline, pinned: d.pinned)
        source = Redaction.redactText(m.source)
        agenda = d.agenda
        timeline = signedIn ? d.timeline : d.timeline.withoutSuggestions
        gaps = m.gaps.map { Gap(at: $0.mediaPosition, duration: $0.duration, reason: $0.reason) }
        captions = d.captions.map { Caption(name: $0.name, url: "/media/\(m.id)/captions/\($0.name)", machineTranscript: $0.machineTranscript != nil) }
        streams = m.streams.map { Stream(kind: $0.kind.rawValue, summary: $0.summary) }
        stopReason = m.stopReason
        warnings = m.warnings
        recording = session.live ? RecordingStatus(archive: archive, manifest: m) : nil
        agendaDate = AgendaDateCheck(d, zone: zone)
    }
}

/// How a live recording is going, for the live console.
struct RecordingStatus: Codable, Sendable {
    var elapsed: Double
    var segments: Int
    /// Bits per second over the last minute of finished segments.
    var bitrate: Double?
    var gaps: Int
    var reconnects: Int
    var lastSegmentAt: Date?
    var diskFreeBytes: Int64?

    init(archive: Archive, manifest m: SessionManifest) {
        elapsed = m.mediaEnd
        segments = m.segments.count
        var seconds = 0.0, bytes: Int64 = 0
        for segment in m.segments.reversed() where seconds < 60 {
            seconds += segment.duration
            bytes += segment.bytes
        }
        bitrate = seconds > 0 ? Double(bytes) * 8 / seconds : nil
        gaps = m.gaps.count
        reconnects = m.reconnects
        lastSegmentAt = m.segments.last?.wallClockEnd
        diskFreeBytes = (try? FileManager.default.attributesOfFileSystem(forPath: archive.root)[.systemFreeSize] as? NSNumber)?.int64Value
    }
}

/// One caption line of the transcript beside the player (as officers corrected it).
struct TranscriptLine: Codable, Sendable {
    var start: Double
    var end: Double
    var text: String
    var voice: String?
    var file: String
    /// For a corrected line: the machine's (the file's) text, and who corrected it last and when.
    var original: String?
    var correctedBy: String?
    var correctedAt: Date?

    init(_ line: CorrectedTranscript.Line) {
        start = line.cue.start
        end = line.cue.end
        text = line.cue.text
        voice = line.cue.voice
        file = line.file
        original = line.original
        correctedBy = line.correctedBy
        correctedAt = line.correctedAt
    }

    /// A line of the machine transcript no officer has corrected.
    var machine: Bool { (file == Archive.machineTranscriptName || file == Archive.liveCaptionsName) && correctedBy == nil && original == nil }
}

extension Archive {
    /// The lines of every caption file of session `id`, corrected, in time order.
    func transcript(of id: String) -> [TranscriptLine] {
        CorrectedTranscript.lines(archive: self, id: id).map(TranscriptLine.init)
    }
}
