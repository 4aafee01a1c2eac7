import Foundation
import Logging
import SiaranArchive
import SiaranCore

/// `record --transcribe`: the machine transcript grows while the briefing is recorded, so it is
/// searchable during it. A thread of its own takes each `window` of finished segments (with
/// `overlap` seconds of the previous one, so a word on a boundary is heard whole), transcribes it
/// with the low-priority worker, and appends the new lines to `captions/asr.vtt`. It never touches
/// the recording; when it falls behind it simply takes bigger windows, and `finish` waits for it to
/// catch up after the recording ends. Beside it, `captions` (unless `SIARAN_LIVE_CAPTIONS=0`)
/// writes live captions within seconds (`LiveCaptions`), which this transcript then replaces.
public final class LiveTranscription: @unchecked Sendable {
    private let archive: Archive
    private let transcriber: SpeechTranscriber
    private let logger: Logger
    private let background = BackgroundPass(name: "siaran-live-transcription")
    /// Lines appended so far.
    public private(set) var lines = 0
    /// The streaming pass, started and finished with this one.
    public let captions: LiveCaptions?

    /// Seconds of new audio that make a window; words closer than `overlap` to a window's end wait
    /// for the next window.
    public var window = 30.0
    public var overlap = 2.0
    /// Where `asr.vtt` has reached (session seconds); the live captions' tail drops once-heard words before it.
    private let reachLock = NSLock()
    private var reachedUntil = 0.0
    public var reached: Double { reachLock.withLock { reachedUntil } }

    public init(archive: Archive, transcriber: SpeechTranscriber, logger: Logger = Logger(label: "siaran.transcribe")) {
        self.archive = archive
        self.transcriber = transcriber
        self.logger = logger
        captions = ProcessInfo.processInfo.environment["SIARAN_LIVE_CAPTIONS"] == "0" ? nil
            : LiveCaptions(archive: archive, engine: transcriber.engine, language: transcriber.language, logger: logger)
        captions?.finalReach = { [weak self] in self?.reached ?? 0 }
    }

    /// Starts transcribing session `id` as its segments are finished.
    public func start(sessionID id: String) {
        background.start { [self] in run(id) }
        captions?.start(sessionID: id)
    }

    /// The recording has ended: transcribe what is left, then return.
    public func finish() {
        captions?.finish()
        background.finish()
    }

    private func run(_ id: String) {
        var committedUntil = 0.0      // words ending before this are in the file
        var failures = 0
        while true {
            let ended = background.hasEnded
            let segments = ((try? archive.loadManifest(id))?.segments) ?? []
            let available = segments.last.map { $0.mediaStart + $0.duration } ?? 0
            let due = ended ? available > committedUntil + 0.5 : available - committedUntil >= window
            if due, failures < 3 {
                do {
                    committedUntil = try transcribe(id, segments: segments, from: max(0, committedUntil - overlap),
                                                    until: available, committedUntil: committedUntil, final: ended)
                    reachLock.withLock { reachedUntil = committedUntil }
                    failures = 0
                } catch {
                    failures += 1
                    logger.warning("live transcription of \(id) failed (\(error)); \(failures < 3 ? "trying again with the next segments" : "giving up: run `siaran transcribe \(id)` after the recording")")
                }
                continue
            }
            if ended { break }
            background.wait(2)
        }
    }

    /// Transcribes [from, until] and appends the words after `committedUntil`; returns the new
    /// committed end.
    private func transcribe(_ id: String, segments: [SegmentRecord], from: Double, until: Double, committedUntil: Double, final: Bool) throws -> Double {
        let wanted = segments.filter { $0.mediaStart + $0.duration > from && $0.mediaStart < until }
        let heard = try transcriber.words(of: wanted, in: archive.mediaDirectory(of: id), from: from)
        let keepUntil = final ? Double.infinity : until - overlap
        let fresh = heard.words.filter { $0.start >= committedUntil - 0.05 && $0.end <= keepUntil }
        let cues = TranscriptLines.cues(fresh)
        if !cues.isEmpty {
            try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
            try AppendOnlyFile.append(Data(WebVTT.renderBlocks(cues).utf8), to: archive.machineTranscriptPath(of: id),
                                      header: Data(transcriber.header(engine: heard.engine, modelHash: heard.modelHash).utf8))
            archive.noteChange()
            lines += cues.count
        }
        // Nothing heard yet to commit: move on by the window anyway (silence), minus the overlap.
        return max(committedUntil, fresh.last?.end ?? (final ? until : until - overlap))
    }
}
