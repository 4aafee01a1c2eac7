import Foundation
import Logging
import SiaranArchive
import SiaranCore
import SiaranMedia

/// Records one source into one session: connects (waiting for the stream to start if asked),
/// remuxes packets into segments, keeps manifest and playlist up to date after every segment,
/// reconnects with backoff when the source drops (recording each gap), and closes the session
/// cleanly when stopped. Connecting is `SourceConnector`'s, the session's files `SessionWriter`'s,
/// a full disk `DiskFullPolicy`'s.
///
/// Reports through `logger` (events: connected, lost, gap…) and `progress` (the state now, about
/// twice a second). `run()` blocks the calling thread; it must not be a thread of the shared
/// concurrency pool.
public final class Recorder {
    private let archive: Archive
    private let options: RecordOptions
    private let stop: StopControl
    private let logger: Logger
    private let progress: @Sendable (RecordingProgress) -> Void
    private let connector: SourceConnector
    private let diskFull: DiskFullPolicy

    private var writer: SessionWriter!
    private var segmenter: Segmenter!
    private let pump = PacketPump()
    private var recordingStarted = Date()
    private var lastStatus = Date.distantPast
    /// The source declared a length and ended: a VOD, recorded once.
    private var sourceWasFinite = false

    /// Called on the recorder's thread once the session exists, with its id.
    public var onSessionCreated: ((String) -> Void)?

    public init(archive: Archive, options: RecordOptions, stop: StopControl, logger: Logger,
                progress: @escaping @Sendable (RecordingProgress) -> Void = { _ in }) {
        self.archive = archive
        self.options = options
        self.stop = stop
        self.logger = logger
        self.progress = progress
        connector = SourceConnector(options: options, stop: stop, logger: logger, progress: progress)
        diskFull = DiskFullPolicy(waitForSpace: options.waitOnDiskFull && !options.isImport, stop: stop, logger: logger)
    }

    /// How one connection's reading ended.
    private enum ConnectionEnd {
        /// Stopped by the user, --stop-after, or the end of an imported file.
        case finished
        /// The source went away (the reason, for the gap).
        case lost(String)
    }

    /// Records until stopped, the source ends (import) or is lost for good. Throws when the source
    /// never started, or on a write failure (disk full), after closing the session as well as it can.
    public func run() throws -> RecordResult {
        try archive.prepare()
        defer { connector.stopFetcher() }
        var input = try connector.connectFirstTime()
        try createSession(for: input)
        defer { writer.releaseLock() }
        var discontinuity = false
        var outcome = RecordResult.Outcome.finished
        while true {
            segmenter.beginConnection(input, wallClock: connectionWallClock(input), live: !options.isImport, discontinuity: discontinuity)
            var lastPacketAt = Date()
            guard case let .lost(reason) = try readConnection(input, lastPacketAt: &lastPacketAt) else { break }
            // The source dropped: close what we have, then reconnect, recording the gap from the last
            // packet that arrived to the first one after.
            try closeSegment()
            try? writer.save(openSegment: segmenter.openSegment, force: true)
            input.close()
            logger.info("source lost at \(Format.clock(lastPacketAt.timeIntervalSince(recordingStarted))): \(reason); reconnecting")
            guard let next = connector.reconnect(since: lastPacketAt, deadline: stopAfterDeadline,
                                                 deadlineReached: { self.reachedStopAfter() }) else {
                // (Reaching --stop-after while reconnecting is an ordinary end, not a lost source.)
                if let ended = connector.sourceEnded {
                    logger.info("\(ended); the session is complete")
                } else if stop.level == 0 && !reachedStopAfter() {
                    outcome = .sourceLost
                }
                break
            }
            input = next
            // The silence began where the packets paused, when the demuxer handed out the one it held
            // only as the connection ended (see `Segmenter.silenceStart`).
            let silentSince = segmenter.silenceStart(before: lastPacketAt) ?? lastPacketAt
            let gap = GapRecord(wallClockStart: silentSince, duration: input.openedAt.timeIntervalSince(silentSince),
                                mediaPosition: mediaSeconds, reason: reason)
            writer.update {
                $0.gaps.append(gap)
                $0.reconnects += 1
                $0.streams = input.streams
            }
            try writer.save(openSegment: segmenter.openSegment, force: true)
            logger.info("reconnected after \(Decimals.string(gap.duration, places: 1)) s (gap recorded)")
            discontinuity = true
        }
        return try finalize(outcome: outcome, input: input)
    }

    /// Whether this recording already said that its packets cannot be decoded.
    private var warnedUndecodable = false
    /// How long packets may arrive without one the segmenter can start a segment on (a keyframe):
    /// 10 s when libav could not even read the video's size ("h264 0x0"), else 30 s (a source whose
    /// keyframes are 10 s or more apart is slow to start, not undecodable).
    static func undecodableAfter(_ streams: [StreamDescription]) -> Double {
        streams.contains { $0.kind == .video && ($0.width ?? 0) == 0 } ? 10 : 30
    }

    /// Packets arrive, but after `undecodableAfter` seconds not one could start a segment: say so, once,
    /// with the likely cause (a session that stays empty without a word is the worst outcome).
    private func warnIfUndecodable(_ input: InputSource) {
        let after = Self.undecodableAfter(input.streams)
        guard !warnedUndecodable, segmenter.openSegment == nil, Date().timeIntervalSince(input.openedAt) >= after else { return }
        warnedUndecodable = true
        let streams = input.streams.map(\.summary).joined(separator: ", ")
        let srt = options.source.lowercased().hasPrefix("srt:")
            ? "an SRT sender whose messages are larger than 1316 bytes (libav takes one 1316-byte MPEG-TS message at a time; GStreamer's srtsink needs `rndbuffersize min=1316 max=1316` before it), or " : ""
        let warning = "no decodable media after \(Int(after)) s: \(segmenter.droppedPackets) packets arrived (\(streams)) "
            + "but none a segment can start on (a video keyframe). Likely cause: \(srt)a stream that is not what it says "
            + "(not MPEG-TS, or damaged on the way). Check the encoder's output settings; the recorder keeps reading."
        logger.warning("\(warning)")
        writer.update { $0.warnings.append(warning) }
    }

    private var mediaSeconds: Double { Double(segmenter.timeline.end) / 1e6 }

    /// Moves packets from `input` into segments until the connection ends.
    private func readConnection(_ input: InputSource, lastPacketAt: inout Date) throws -> ConnectionEnd {
        var consecutiveReadErrors = 0
        while true {
            if stop.level > 0 || reachedStopAfter() { return .finished }
            if connector.addressExpiresSoon { return .lost("the stream address found in the page expires; renewing it") }
            let event: PumpEvent
            do {
                event = try pump.step(from: input, into: segmenter)
            } catch {
                try pauseForDiskFull(error, input: input)
                if stop.level > 0 { return .finished }
                continue
            }
            switch event {
            case let .packet(finished):
                consecutiveReadErrors = 0
                if !options.isImport { lastPacketAt = Date() }
                if let finished { try add(finished) }
                if !options.isImport { warnIfUndecodable(input) }
                // An outage inside the connection saves the manifest with its gap.
                let paused = try recordOutages()
                if finished == nil && !paused {
                    if writer.manifest.openSegment == nil && segmenter.openSegment != nil {
                        // The first segment of a connection opened: taggers need its wall-clock start now.
                        try writer.save(openSegment: segmenter.openSegment, force: true)
                    } else {
                        try writer.saveIfPending(openSegment: segmenter.openSegment)
                    }
                }
                showProgress()
            case .endOfInput:
                if options.isImport { return .finished }
                // A source that declares its length (an HLS/DASH VOD playlist, a file over HTTP) is not
                // live: its end is the end of the session, not a drop to reconnect after.
                if SourceAddress.isStandardInput(options.source) {
                    logger.info("standard input ended; the session is complete")
                    return .finished
                }
                if let declared = input.declaredDuration {
                    sourceWasFinite = true
                    logger.info("the source is a recording of \(Format.clock(declared)), not a live stream; it was recorded once, to its end")
                    return .finished
                }
                return .lost(input.playlistStartedOver ? "the playlist started over (the encoder was restarted)" : "the source ended the stream")
            case let .readFailed(error, stalled):
                if stop.level > 0 { return .finished }
                guard options.isImport else {
                    if input.playlistStartedOver { return .lost("the playlist started over (the encoder was restarted)") }
                    return .lost(stalled ? "no data for \(Int(options.readTimeout)) s" : Redaction.redactText(error.message))
                }
                // A damaged file: libav resynchronises on the next readable packet; give up only
                // when nothing more can be read.
                consecutiveReadErrors += 1
                if consecutiveReadErrors > 64 {
                    writer.update { $0.warnings.append("stopped reading at an unreadable part of the file (\(error.message))") }
                    return .finished
                }
            }
        }
    }

    /// Gaps inside a connection (`Segmenter.Outage`: the source paused and its timestamps jumped on);
    /// whether there were any.
    private func recordOutages() throws -> Bool {
        let outages = segmenter.takeOutages()
        guard !outages.isEmpty else { return false }
        for outage in outages {
            let gap = GapRecord(wallClockStart: outage.wallClockStart, duration: outage.duration, mediaPosition: outage.mediaPosition,
                                reason: "the source sent nothing for \(Decimals.string(outage.duration, places: 1)) s, then went on")
            writer.update { $0.gaps.append(gap) }
            logger.info("the source paused for \(Decimals.string(outage.duration, places: 1)) s and went on (gap recorded)")
        }
        try writer.save(openSegment: segmenter.openSegment, force: true)
        return true
    }

    /// With `--on-disk-full wait`, a full disk becomes a gap on the same connection; otherwise the
    /// recording stops (throws), keeping every finished segment.
    private func pauseForDiskFull(_ error: MediaError, input: InputSource) throws {
        guard diskFull.waitsOut(error) else { try failWhileWriting(error) }
        segmenter.abandonSegment()
        let pausedAt = Date()
        let segments = writer.manifest.segments
        diskFull.waitForRoom(in: archive.mediaDirectory(of: writer.id),
                             averageSegmentBytes: segments.isEmpty ? 0 : writer.manifest.mediaBytes / Int64(segments.count))
        guard stop.level == 0 else { return }
        let gap = GapRecord(wallClockStart: pausedAt, duration: Date().timeIntervalSince(pausedAt),
                            mediaPosition: mediaSeconds, reason: "the disk was full")
        writer.update { $0.gaps.append(gap) }
        try? writer.save(openSegment: segmenter.openSegment, force: true)
        segmenter.beginConnection(input, wallClock: Date(), live: true, discontinuity: true)
    }

    private func connectionWallClock(_ input: InputSource) -> Date {
        if options.isImport { return input.creationTime ?? writer.manifest.createdAt }
        return Date()
    }

    /// When --stop-after ends a live recording (a reconnect, a listen for the next push, waits no longer).
    private var stopAfterDeadline: Date? {
        guard let limit = options.stopAfter, !options.isImport else { return nil }
        return recordingStarted.addingTimeInterval(limit)
    }

    private func reachedStopAfter() -> Bool {
        guard let limit = options.stopAfter else { return false }
        if options.isImport { return mediaSeconds >= limit }
        return Date().timeIntervalSince(recordingStarted) >= limit
    }

    // MARK: - Session files

    private func createSession(for input: InputSource) throws {
        let now = Date()
        let title = options.title ?? options.agenda?.title ?? defaultTitle()
        let source = connector.displaySource
        let kind: SessionKind = options.isImport ? .imported : .live
        writer = try SessionWriter(archive: archive, title: title, date: options.isImport ? (input.creationTime ?? now) : now, manifest: { id in
            var manifest = SessionManifest(id: id, title: title, kind: kind, source: source, createdAt: now,
                                           segmentFormat: self.options.format.rawValue, targetSegmentDuration: self.options.segmentDuration)
            manifest.streams = input.streams
            return manifest
        }, agenda: options.agenda, isImport: options.isImport, logger: logger)
        segmenter = Segmenter(directory: archive.mediaDirectory(of: writer.id), format: options.format, targetDuration: options.segmentDuration,
                              durableSegments: !options.isImport)
        recordingStarted = now
        try writer.save(openSegment: nil, force: true)
        onSessionCreated?(writer.id)
        let streams = input.streams.map(\.summary).joined(separator: ", ")
        logger.info("\(options.isImport ? "importing" : "recording") \(source) into session \(writer.id) (\(streams))")
        if let variants = input.variantChoice { logger.info("\(variants)") }
        if input.rtspTransport == "udp" { logger.info("the RTSP server refused RTP over TCP; receiving it over UDP (packets may be lost)") }
    }

    private func defaultTitle() -> String {
        if options.isImport { return ((options.source as NSString).lastPathComponent as NSString).deletingPathExtension }
        return "Recording " + ISO8601.format(Date()).prefix(16).replacingOccurrences(of: "T", with: " ")
    }

    private func add(_ segment: SegmentRecord) throws {
        try writer.add(segment, openSegment: segmenter.openSegment, cues: segmenter.takeCues(), waitOnDiskFull: diskFull.waitForSpace)
    }

    /// Finishes the segment being written (at a drop or the end) and adds it.
    private func closeSegment() throws {
        let last: SegmentRecord?
        do { last = try segmenter.finishSegment() } catch {
            guard diskFull.waitsOut(error) else { try failWhileWriting(error) }
            segmenter.abandonSegment()
            last = nil
        }
        if let last { try add(last) }
    }

    /// A write failed (disk full, I/O error): keep every finished segment, close the session, report.
    private func failWhileWriting(_ error: MediaError) throws -> Never {
        segmenter.abandonSegment()
        writer.update {
            $0.state = .complete
            $0.stopReason = "stopped: \(error)"
            $0.warnings.append("recording stopped early: \(error)")
        }
        try? writer.save(openSegment: nil, force: true)
        throw RecorderError.writeFailed(sessionID: writer.id, kept: writer.manifest.segments.count, underlying: error)
    }

    private func finalize(outcome: RecordResult.Outcome, input: InputSource) throws -> RecordResult {
        if stop.level >= 2 {
            segmenter.abandonSegment()
            writer.update { $0.warnings.append("stopped at once by a second interrupt; the segment being written was dropped") }
        } else {
            try closeSegment()
        }
        writer.appendCaptured(segmenter.takeCues())
        if writer.capturedCues > 0 { logger.info("captured \(writer.capturedCues) caption cues from the stream's subtitles") }
        writer.update { manifest in
            for warning in closingWarnings(manifest: manifest, input: input) { manifest.warnings.append(warning) }
            manifest.state = .complete
            manifest.stopReason = switch outcome {
            case .sourceLost: "the source stayed unreachable for \(Format.clock(options.giveUpAfter))"
            case .finished: stop.level > 0 ? "stopped by the user" : options.isImport ? "end of file"
                : connector.sourceEnded.map { "end of the source (\($0))" } ?? (sourceWasFinite ? "end of the source (a recording, not a live stream)"
                : SourceAddress.isStandardInput(options.source) ? "end of standard input" : "reached --stop-after")
            }
        }
        if options.isImport { segmenter.syncAll() }
        try writer.save(openSegment: nil, force: true)
        let m = writer.manifest
        return RecordResult(sessionID: m.id, outcome: outcome, segments: m.segments.count, mediaDuration: m.mediaDuration,
                            bytes: m.mediaBytes, gaps: m.gaps.count, warnings: m.warnings)
    }

    /// What the session's manifest should say about the recording as a whole.
    private func closingWarnings(manifest: SessionManifest, input: InputSource) -> [String] {
        var warnings: [String] = []
        if pump.corruptPackets > 0 {
            warnings.append("\(pump.corruptPackets) packets were marked corrupt by the demuxer (kept)")
        }
        if options.isImport, let declared = input.declaredDuration, declared - manifest.mediaDuration > max(2, declared * 0.05) {
            warnings.append("the file declares \(Decimals.string(declared, places: 1)) s of media but only "
                + "\(Decimals.string(manifest.mediaDuration, places: 1)) s could be read; the rest is missing or damaged")
        }
        if segmenter.timeline.jumps > 0 {
            warnings.append("\(segmenter.timeline.jumps) source timestamp jumps were smoothed over")
        }
        if segmenter.timeline.repeats > 0 {
            warnings.append("\(segmenter.timeline.repeats) packets that repeated the time of the packet before them were dropped (media the source sent twice)")
        }
        return warnings
    }

    private func showProgress() {
        let now = Date()
        guard now.timeIntervalSince(lastStatus) >= 0.5 else { return }
        lastStatus = now
        let media = mediaSeconds
        progress(.recording(.init(isImport: options.isImport, elapsed: now.timeIntervalSince(recordingStarted), media: media,
                                  bitsPerSecond: media > 0 ? Double(pump.bytesRead) * 8 / media : 0,
                                  segments: writer.manifest.segments.count, reconnects: writer.manifest.reconnects,
                                  bytesOnDisk: segmenter.bytesOnDisk)))
    }
}
