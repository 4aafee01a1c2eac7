import Foundation
import Logging
import SiaranArchive
import SiaranCore
import SiaranMedia

/// Live captions (issue 32): while `record --transcribe` runs, every `step` seconds the audio
/// from the last word already shown (at most `window` seconds) (finished segments and the segment being written) go to a speech
/// worker that holds its model (`siaran-asr-worker --serve`, low priority). A word is shown only
/// when two consecutive passes agree on it (the local-agreement policy of whisper_streaming), and
/// agreed words are appended as lines to `captions/asr-live.vtt` (append-only, session clock). The 30 s
/// pass (`LiveTranscription`) writes the better `asr.vtt` behind it: pages and the HLS subtitle
/// rendition show `asr.vtt` up to its end and live lines after it (`LiveCaptionLines`).
/// Consumers that want each new live line as it comes (alerts) follow `captions/asr-live.vtt`: it only
/// ever grows, by whole WebVTT blocks, and `archive.noteChange()` moves with each append.
/// The words heard but not agreed yet (the newest pass's, and those given up when the passes fell
/// behind, until the final transcript reaches them) replace `captions/asr-live-tail.json` after every
/// pass (`LiveCaptionTail`: pages show them greyed); the file is removed when the captions end.
public final class LiveCaptions: @unchecked Sendable {
    private let archive: Archive
    private let engine: SpeechEngine
    private let language: String
    private let logger: Logger
    private let background = BackgroundPass(name: "siaran-live-captions")
    /// Seconds of newest audio each pass hears, and how often a pass starts: `step` seconds after the
    /// previous one started, or as soon as it ends when it took longer (see `run`).
    public var window = 15.0
    public var step = 2.5
    /// The most audio one pass hears before skipping ahead (Whisper hears 30 s at a time).
    public var longestBuffer = 25.0
    /// Whisper's beam for live passes: 1 (greedy) costs about half of beam 5.
    public var beamSize = 1
    /// A file to append one JSON line per pass to (`SIARAN_LIVE_CAPTIONS_PASSES`; `Scripts/bench-live`
    /// reads it): when it ran, where the recording was and the audio it heard, when its audio was decoded,
    /// its words came back and its files were written, the words it heard, showed and left in the tail,
    /// and those given up when the passes fell behind.
    public var passLog: String?
    /// Where the final transcript has reached (session seconds): once-heard words before it are dropped from the tail.
    public var finalReach: (@Sendable () -> Double)?
    /// Passes run so far.
    public private(set) var passes = 0
    /// Lines appended so far; seconds from each committed word's end (on the recording's wall
    /// clock) to the moment its line was written; the worker's CPU and the audio it heard.
    public private(set) var lines = 0
    public private(set) var lags: [Double] = []
    public private(set) var cpuSeconds = 0.0
    public private(set) var audioSeconds = 0.0

    public init(archive: Archive, engine: SpeechEngine, language: String = "id", logger: Logger = Logger(label: "siaran.captions")) {
        self.archive = archive
        self.engine = engine
        self.language = language
        self.logger = logger
    }

    public func start(sessionID id: String) {
        background.start { [self] in run(id) }
    }

    /// The recording has ended: a last pass commits what is left, then this returns.
    public func finish() {
        background.finish()
    }

    private func run(_ id: String) {
        let worker: LiveSpeechWorker
        do { worker = try LiveSpeechWorker(engine: engine, language: language, beamSize: beamSize) } catch {
            logger.warning("no live captions for \(id): \(error)")
            return
        }
        defer { worker.stop() }
        // The unconfirmed tail never outlives the captions (a crash leaves it stale: readers drop it, recovery removes it).
        defer { LiveCaptionTail.remove(archive: archive, id: id) }
        var state = LocalAgreement()
        var failures = 0
        // The pause counts from the previous pass's start, not from its end: until session 15 a 2.5 s
        // pause after each 2 s pass made one pass every 4.5-4.8 s, and a word said just after a pass
        // started waited up to that long for the next (bench-live's "said -> the next pass starts",
        // p95 4.7 s). A pass that took longer than `step` is followed at once. The worker runs at
        // nice 10, so passes back to back only use CPU the recorder leaves.
        var started = Date()
        while true {
            let ended = background.wait(step - Date().timeIntervalSince(started))
            started = Date()
            do {
                try pass(id, worker, &state, final: ended)
                passes += 1
                failures = 0
            } catch {
                failures += 1
                logger.warning("live captions of \(id): \(error)\(failures >= 3 ? "; stopping them (the 30 s transcript goes on)" : "")")
                if failures >= 3 { return }
            }
            cpuSeconds = worker.cpuSeconds
            audioSeconds = worker.audioSeconds
            if ended { return }
        }
    }

    private func pass(_ id: String, _ worker: LiveSpeechWorker, _ state: inout LocalAgreement, final: Bool) throws {
        let started = Date()
        let manifest = try archive.loadManifest(id)
        // The finished segments and the one being written; `clock`, where the recording is, is the pass
        // log's yardstick for how far behind the readable audio is.
        let (segments, clock) = LiveAudioSegments.readable(manifest, mediaDirectory: archive.mediaDirectory(of: id), at: started)
        guard let now = segments.last?.mediaEnd else { return }
        // The window starts where the shown words end, so consecutive passes hear the same start and
        // can agree. A start that moved with every pass (`now - window` when passes fall behind on a
        // loaded machine) would never let two passes agree, and the captions stalled: instead, once
        // the shown words are more than `longestBuffer` behind, skip ahead to `window` seconds back
        // once and agree from there (the 30 s pass transcribes what was skipped).
        var skipped = 0
        if now - state.committed > longestBuffer {
            skipped = state.skip(to: now - window).count
        }
        let from = max(0, state.windowStart)
        var samples: [Int16] = []
        let report = try SpeechAudio.decode(segments, in: archive.mediaDirectory(of: id), from: from) { samples += $0 }
        guard !samples.isEmpty else { return }
        let decoded = Date()
        let rate = Double(SpeechAudio.sampleRate)
        let heard = try worker.words(samples).map { word in
            TranscriptLines.Word(start: SpeechAudio.seconds(ofSample: Int(word.start * rate), anchors: report.anchors),
                                 end: SpeechAudio.seconds(ofSample: Int(word.end * rate), anchors: report.anchors),
                                 text: word.word, segment: word.segment)
        }
        let heardEnd = SpeechAudio.seconds(ofSample: samples.count, anchors: report.anchors)
        let agreed = state.agree(heard, final: final, audioEnd: heardEnd)
        let cues = TranscriptLines.cues(agreed)
        let recognised = Date()
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        // The lines first, then the tail without their words (a reader between the two sees a word twice,
        // never none; pages drop tail words a line covers).
        defer {
            if let reach = finalReach?() { state.forget(before: reach) }
            if !final {
                try? LiveCaptionTail.write(state.unconfirmed.map { LiveCaptionTail.Word(start: $0.start, end: $0.end, text: $0.text) },
                                           archive: archive, id: id)
            }
            // Each word's way to the page, for Scripts/bench-live's breakdown of the lag: when the pass
            // started (`at`), where the recording was (`clock`) and the audio it read ended (`to`), when
            // its audio was decoded and its words came back, when its lines and tail were written, and the
            // words it heard, showed as lines and left in the tail.
            note(["at": started.timeIntervalSince1970, "from": from, "to": heardEnd, "now": now, "clock": clock,
                  "heard": Double(heard.count), "shown": Double(agreed.count), "waiting": Double(state.previous.count),
                  "givenUp": Double(skipped), "seconds": recognised.timeIntervalSince(started),
                  "decoded": decoded.timeIntervalSince1970, "recognised": recognised.timeIntervalSince1970, "written": Date().timeIntervalSince1970,
                  "heardWords": Self.logged(heard), "agreedWords": Self.logged(agreed), "tailWords": Self.logged(final ? [] : state.unconfirmed)])
        }
        guard !cues.isEmpty else { return }
        let header = WebVTT.header + "NOTE live captions (speech-to-text by Siaran, replaced by asr.vtt where it reaches): \(worker.engine), model "
            + "\((engine.model as NSString).lastPathComponent) sha256 \(worker.modelHash.prefix(16)), language \(language)\n\n"
        try AppendOnlyFile.append(Data(WebVTT.renderBlocks(cues).utf8), to: archive.liveCaptionsPath(of: id), header: Data(header.utf8))
        archive.noteChange()
        lines += cues.count
        let written = Date()
        for word in agreed {
            let segment = segments.last { $0.mediaStart <= word.end } ?? segments[0]
            lags.append(written.timeIntervalSince(segment.wallClockStart.addingTimeInterval(word.end - segment.mediaStart)))
        }
    }

    /// Words as the pass log holds them: [start, end, text].
    private static func logged(_ words: [TranscriptLines.Word]) -> [[Any]] {
        words.map { [($0.start * 1000).rounded() / 1000, ($0.end * 1000).rounded() / 1000, $0.text] }
    }

    /// One line of the pass log (when asked for); a log that cannot be written is given up silently:
    /// it is a measurement aid, never a reason to stop the captions.
    /// (The fields are only gathered when there is a log: the words' lists are built for it alone.)
    private func note(_ fields: @autoclosure () -> [String: Any]) {
        guard let passLog, let line = try? JSONSerialization.data(withJSONObject: fields(), options: [.sortedKeys]) else { return }
        try? AppendOnlyFile.append(line + Data("\n".utf8), to: passLog, header: Data())
    }
}
