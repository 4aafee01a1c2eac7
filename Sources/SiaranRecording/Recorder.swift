import Foundation
import Siaran
import SiaranArchive
import SiaranCore
import SiaranMedia

/// Records one source into one session: connects (waiting for the stream to start if asked),
/// remuxes packets into segments, keeps manifest and playlist up to date after every segment,
/// reconnects with backoff when the source drops (recording each gap), and closes the session
/// cleanly when stopped.
///
/// `run()` blocks the calling thread; it must not be a thread of the shared concurrency pool.
public final class Recorder {
    private let archive: Archive
    private let options: RecordOptions
    private let console: Console
    private let stop: StopControl

    private var manifest: SessionManifest!
    private var lock: SessionLock?
    private var segmenter: Segmenter!
    private let pump = PacketPump()
    private var recordingStarted = Date()
    private var lastManifestSave = Date.distantPast
    private var lastStatus = Date.distantPast
    private var pendingSave = false

    /// Called on the recorder's thread once the session exists, with its id.
    public var onSessionCreated: ((String) -> Void)?

    /// Backoff between reconnect attempts: first within a second, growing to a cap of 0.7 s, so
    /// a returning source is picked up (and its gap measured) within about a second.
    static let retryDelays: [Double] = [0.2, 0.4, 0.7]

    public init(archive: Archive, options: RecordOptions, console: Console, stop: StopControl) {
        self.archive = archive
        self.options = options
        self.console = console
        self.stop = stop
    }

    private var displaySource: String {
        options.isImport ? options.source : Redaction.redact(options.source)
    }

    /// Records until stopped, the source ends (import) or is lost for good. Throws when the source
    /// never started, or on a write failure (disk full), after closing the session as well as it can.
    public func run() throws -> RecordResult {
        try archive.prepare()
        var input = try connectFirstTime()
        try createSession(for: input)
        defer {
            // A closed session needs no recovery: drop its lock file, so recovery scans stay cheap.
            if manifest.state != .recording { unlink(archive.lockPath(of: manifest.id)) }
            lock = nil
        }
        var reconnectDiscontinuity = false
        var outcome = RecordResult.Outcome.finished

        connection: while true {
            segmenter.beginConnection(input, wallClock: connectionWallClock(input), live: !options.isImport,
                                      discontinuity: reconnectDiscontinuity)
            var lostReason: String?
            var consecutiveReadErrors = 0
            var lastPacketAt = Date()
            reading: while true {
                if stop.level > 0 { break connection }
                if let limit = options.stopAfter, reachedLimit(limit) { break connection }
                let event: PumpEvent
                do {
                    event = try pump.step(from: input, into: segmenter)
                } catch {
                    // Full disk with --on-disk-full wait: a gap on the same connection, then on.
                    let pausedAt = Date()
                    try waitOutDiskFull(error)
                    if stop.level > 0 { break connection }
                    manifest.gaps.append(GapRecord(wallClockStart: pausedAt, duration: Date().timeIntervalSince(pausedAt),
                                                   mediaPosition: Double(segmenter.timeline.end) / 1e6, reason: "the disk was full"))
                    try? saveManifest(force: true)
                    segmenter.beginConnection(input, wallClock: Date(), live: true, discontinuity: true)
                    continue reading
                }
                switch event {
                case let .packet(finished):
                    consecutiveReadErrors = 0
                    if !options.isImport { lastPacketAt = Date() }
                    if let finished {
                        try add(finished)
                    } else if manifest.openSegment == nil && segmenter.openSegment != nil {
                        // The first segment of a connection opened: taggers need its wall-clock start now.
                        try saveManifest(force: true)
                    } else if pendingSave {
                        try saveManifest(force: false)
                    }
                    showProgress()
                case .endOfInput:
                    if options.isImport { break connection }
                    lostReason = "the source ended the stream"
                    break reading
                case let .readFailed(error, stalled):
                    if stop.level > 0 { break connection }
                    if options.isImport {
                        // A damaged file: libav resynchronises on the next readable packet; give up only
                        // when nothing more can be read.
                        consecutiveReadErrors += 1
                        if consecutiveReadErrors > 64 {
                            manifest.warnings.append("stopped reading at an unreadable part of the file (\(error.message))")
                            break connection
                        }
                        continue reading
                    }
                    lostReason = stalled ? "no data for \(Int(options.readTimeout)) s" : Redaction.redactText(error.message)
                    break reading
                }
            }
            // The source dropped: close what we have, then reconnect, recording the gap from the last
            // packet that arrived to the first one after.
            let lostAt = lastPacketAt
            var last: FinishedSegment?
            do { last = try segmenter.finishSegment() } catch { try waitOutDiskFull(error) }
            if let last { try add(last) }
            try? saveManifest(force: true)
            input.close()
            console.log("source lost at \(Format.clock(lostAt.timeIntervalSince(recordingStarted))): \(lostReason ?? "unknown"); reconnecting")
            guard let next = reconnect(since: lostAt) else {
                if stop.level == 0 { outcome = .sourceLost }
                break connection
            }
            input = next
            let gap = GapRecord(wallClockStart: lostAt, duration: input.openedAt.timeIntervalSince(lostAt),
                                mediaPosition: Double(segmenter.timeline.end) / 1e6, reason: lostReason ?? "source lost")
            manifest.gaps.append(gap)
            manifest.reconnects += 1
            manifest.streams = input.streams
            try saveManifest(force: true)
            console.log("reconnected after \(Decimals.string(gap.duration, places: 1)) s (gap recorded)")
            reconnectDiscontinuity = true
        }
        return try finalize(outcome: outcome, input: input)
    }

    // MARK: - Connecting

    private func inputOptions(openTimeout: Double?) -> InputOptions {
        var o = InputOptions()
        o.listen = options.listen
        o.openTimeout = options.listen ? openTimeout : min(openTimeout ?? 15, 15)
        o.readTimeout = options.isImport ? 3600 : options.readTimeout
        o.captureSubtitles = true
        return o
    }

    /// Opens the source for the first time, polling it while `--wait` allows.
    private func connectFirstTime() throws -> InputSource {
        let started = Date()
        var attempt = 0
        if options.listen { console.log("listening on \(displaySource); push the stream there") }
        while true {
            let remaining = options.wait.map { $0 - Date().timeIntervalSince(started) }
            let error: MediaError
            switch openInput(openTimeout: options.listen ? remaining : 15) {
            case let .success(input): return input
            case let .failure(failure): error = failure
            }
            if stop.level > 0 { throw RecorderError.stoppedBeforeStart }
            if case .noAudioOrVideo = error { throw error }
            guard let remaining, remaining > 0, !options.isImport else {
                if let wait = options.wait { throw RecorderError.neverStarted(source: displaySource, waited: wait, lastError: error.description) }
                throw error
            }
            var reason = error.description
            if case let .cannotOpen(_, why) = error { reason = why }
            console.status("waiting for \(displaySource) to start (\(reason)); \(Format.clock(Date().timeIntervalSince(started))) of \(Format.clock(options.wait ?? 0))")
            stop.sleep(min(Self.retryDelays[min(attempt, Self.retryDelays.count - 1)], max(remaining, 0)))
            attempt += 1
        }
    }

    private func openInput(openTimeout: Double?) -> Result<InputSource, MediaError> {
        do {
            return .success(try InputSource(url: options.source, options: inputOptions(openTimeout: openTimeout), interrupt: stop.interrupt))
        } catch {
            return .failure(error)
        }
    }

    /// Reopens the source after a drop; nil when stopped or when the give-up limit passed.
    private func reconnect(since lostAt: Date) -> InputSource? {
        var attempt = 0
        while stop.level == 0 {
            let failingFor = Date().timeIntervalSince(lostAt)
            if failingFor >= options.giveUpAfter {
                console.warn("the source stayed unreachable for \(Format.clock(failingFor)); giving up")
                return nil
            }
            if let limit = options.stopAfter, reachedLimit(limit) { return nil }
            stop.sleep(Self.retryDelays[min(attempt, Self.retryDelays.count - 1)])
            if stop.level > 0 { return nil }
            attempt += 1
            switch openInput(openTimeout: options.giveUpAfter - failingFor) {
            case let .success(input): return input
            case let .failure(error):
                console.status("reconnecting to \(displaySource): attempt \(attempt), \(Format.clock(Date().timeIntervalSince(lostAt))) without media (\(error))")
            }
        }
        return nil
    }

    private func connectionWallClock(_ input: InputSource) -> Date {
        if options.isImport { return input.creationTime ?? manifest.createdAt }
        return Date()
    }

    private func reachedLimit(_ limit: Double) -> Bool {
        if options.isImport { return Double(segmenter.timeline.end) / 1e6 >= limit }
        return Date().timeIntervalSince(recordingStarted) >= limit
    }

    // MARK: - Session files

    private func createSession(for input: InputSource) throws {
        let now = Date()
        let title = options.title ?? options.agenda?.title ?? defaultTitle()
        let id = try archive.createSessionDirectory(title: title, date: options.isImport ? (input.creationTime ?? now) : now)
        lock = SessionLock(path: archive.lockPath(of: id))
        manifest = SessionManifest(id: id, title: title, kind: options.isImport ? .imported : .live, source: displaySource,
                                   createdAt: now, segmentFormat: options.format.rawValue, targetSegmentDuration: options.segmentDuration)
        manifest.streams = input.streams
        segmenter = Segmenter(directory: archive.mediaDirectory(of: id), format: options.format, targetDuration: options.segmentDuration,
                              durableSegments: !options.isImport)
        recordingStarted = now
        if let agenda = options.agenda { try archive.saveAgenda(agenda, of: id) }
        try saveManifest(force: true)
        onSessionCreated?(id)
        let streams = input.streams.map(\.summary).joined(separator: ", ")
        console.log("\(options.isImport ? "importing" : "recording") \(displaySource) into session \(id) (\(streams))")
        if input.rtspTransport == "udp" { console.log("the RTSP server refused RTP over TCP; receiving it over UDP (packets may be lost)") }
    }

    private func defaultTitle() -> String {
        if options.isImport { return ((options.source as NSString).lastPathComponent as NSString).deletingPathExtension }
        return "Recording " + ISO8601.format(Date()).prefix(16).replacingOccurrences(of: "T", with: " ")
    }

    /// Caption cues captured from the source's subtitle streams, kept in `captions/live.vtt`.
    private var capturedCues: [Cue] = []

    /// Writes newly captured caption cues (if any) to the session's `captions/live.vtt`.
    private func saveCapturedCues() {
        let new = segmenter.takeCues()
        guard !new.isEmpty else { return }
        capturedCues += new
        let folder = archive.captionsDirectory(of: manifest.id)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            try AtomicFile.write(Data(WebVTT.render(capturedCues).utf8), to: folder + "/live.vtt")
            archive.noteChange()
        } catch {
            console.warn("cannot save the captions captured from the stream: \(error)")
        }
    }

    private func add(_ segment: FinishedSegment) throws {
        saveCapturedCues()
        manifest.segments.append(SegmentRecord(sequence: segment.sequence, file: segment.fileName, mediaStart: segment.mediaStart,
                                               duration: segment.duration, wallClockStart: segment.wallClockStart, bytes: segment.bytes,
                                               discontinuity: segment.discontinuity, initBytes: segment.initBytes > 0 ? segment.initBytes : nil))
        if manifest.startedAt == nil { manifest.startedAt = segment.wallClockStart }
        manifest.endedAt = segment.wallClockStart.addingTimeInterval(segment.duration)
        do {
            try saveManifest(force: !options.isImport)
        } catch let error as ArchiveError where options.waitOnDiskFull {
            // The segment is on disk; the manifest catches up at the next save once space is back.
            console.warn("\(error)")
        }
    }

    /// Saves manifest and playlist. Live: after every segment. Import: at most once a second.
    private func saveManifest(force: Bool) throws {
        if !force && Date().timeIntervalSince(lastManifestSave) < 1 { pendingSave = true; return }
        manifest.openSegment = segmenter?.openSegment.map {
            OpenSegmentRecord(sequence: $0.sequence, file: $0.fileName, mediaStart: $0.mediaStart,
                              wallClockStart: $0.wallClockStart, discontinuity: $0.discontinuity)
        }
        try archive.saveManifest(manifest)
        try archive.savePlaylist(SessionPlaylist.render(manifest, ended: manifest.state != .recording), of: manifest.id)
        lastManifestSave = Date()
        pendingSave = false
    }

    /// With `--on-disk-full wait`, a full disk becomes a gap: the segment being written is dropped,
    /// and recording resumes once space is back. Otherwise (or for other write errors) recording stops.
    private func waitOutDiskFull(_ error: MediaError) throws {
        guard options.waitOnDiskFull, !options.isImport, case .diskFull = error else { try failWhileWriting(error) }
        segmenter.abandonSegment()
        console.warn("the disk is full; waiting for free space to resume recording (the gap will be recorded)")
        let folder = archive.mediaDirectory(of: manifest.id)
        // Room for a few segments like the ones so far (at least 1 MB) before going on.
        let average = manifest.segments.isEmpty ? 0 : manifest.mediaBytes / Int64(manifest.segments.count)
        let needed = max(4 * average, 1_000_000)
        while stop.level == 0 && Self.freeBytes(folder) < needed {
            stop.sleep(1)
        }
        console.log("free space is back; resuming")
    }

    static func freeBytes(_ path: String) -> Int64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    private func finishSegment() throws -> FinishedSegment? {
        do { return try segmenter.finishSegment() } catch { try failWhileWriting(error) }
    }

    /// A write failed (disk full, I/O error): keep every finished segment, close the session, report.
    private func failWhileWriting(_ error: MediaError) throws -> Never {
        segmenter.abandonSegment()
        manifest.state = .complete
        manifest.stopReason = "stopped: \(error)"
        manifest.warnings.append("recording stopped early: \(error)")
        try? saveManifest(force: true)
        console.finishStatus()
        throw RecorderError.writeFailed(sessionID: manifest.id, kept: manifest.segments.count, underlying: error)
    }

    private func finalize(outcome: RecordResult.Outcome, input: InputSource) throws -> RecordResult {
        if stop.level >= 2 {
            segmenter.abandonSegment()
            manifest.warnings.append("stopped at once by a second interrupt; the segment being written was dropped")
        } else if let finished = try finishSegment() {
            try add(finished)
        }
        saveCapturedCues()
        if !capturedCues.isEmpty {
            console.log("captured \(capturedCues.count) caption cues from the stream's subtitles")
        }
        if pump.corruptPackets > 0 {
            manifest.warnings.append("\(pump.corruptPackets) packets were marked corrupt by the demuxer (kept)")
        }
        if options.isImport, let declared = input.declaredDuration, declared - manifest.mediaDuration > max(2, declared * 0.05) {
            manifest.warnings.append("the file declares \(Decimals.string(declared, places: 1)) s of media but only "
                + "\(Decimals.string(manifest.mediaDuration, places: 1)) s could be read; the rest is missing or damaged")
        }
        if segmenter.timeline.jumps > 0 {
            manifest.warnings.append("\(segmenter.timeline.jumps) source timestamp jumps were smoothed over")
        }
        if options.isImport { segmenter.syncAll() }
        manifest.state = .complete
        manifest.stopReason = switch outcome {
        case .sourceLost: "the source stayed unreachable for \(Format.clock(options.giveUpAfter))"
        case .finished: stop.level > 0 ? "stopped by the user" : options.isImport ? "end of file" : "reached --stop-after"
        }
        try saveManifest(force: true)
        console.finishStatus()
        return RecordResult(sessionID: manifest.id, outcome: outcome, segments: manifest.segments.count,
                            mediaDuration: manifest.mediaDuration, bytes: manifest.mediaBytes, gaps: manifest.gaps.count,
                            warnings: manifest.warnings)
    }

    private func showProgress() {
        let now = Date()
        guard now.timeIntervalSince(lastStatus) >= 0.5 else { return }
        lastStatus = now
        let elapsed = now.timeIntervalSince(recordingStarted)
        let media = Double(segmenter.timeline.end) / 1e6
        let rate = media > 0 ? Double(pump.bytesRead) * 8 / media : 0
        let head = options.isImport ? "importing \(Format.clock(media))" : "● REC \(Format.clock(elapsed))"
        console.status("\(head) · \(Format.bitrate(rate)) · \(manifest.segments.count) segments · \(manifest.reconnects) reconnects · \(Format.bytes(segmenter.bytesOnDisk))")
    }
}

/// Why a recording could not start or had to stop.
public enum RecorderError: Error, CustomStringConvertible {
    case neverStarted(source: String, waited: Double, lastError: String)
    case stoppedBeforeStart
    case writeFailed(sessionID: String, kept: Int, underlying: MediaError)

    public var description: String {
        switch self {
        case let .neverStarted(source, waited, lastError):
            return "\(source) did not start within \(Format.clock(waited)) (last attempt: \(lastError))"
        case .stoppedBeforeStart:
            return "stopped before the stream started; nothing was recorded"
        case let .writeFailed(id, kept, underlying):
            return "\(underlying); recording stopped. Session \(id) keeps its \(kept) finished segments."
        }
    }
}
