import Foundation
import Logging
import SiaranArchive
import SiaranCore

/// The live voice pass of `record` (when voices are on for the office): every `interval` seconds,
/// once new segments are finished, the last `window` seconds are diarised with the officer's tags and
/// the office's library, and the turns are written as `voice` events of one live run (a later pass
/// replaces what it overlaps of an earlier one). Voices named by a tag in an earlier window are kept
/// in memory for this recording only, so they are still named once their tag has left the window.
/// The final pass after the recording (`VoicePass`) replaces the live run and does the learning.
public final class LiveVoices: @unchecked Sendable {
    private let archive: Archive
    private let diariser: VoiceDiariser
    private let logger: Logger
    private let background = BackgroundPass(name: "siaran-live-voices")
    /// Passes written so far.
    public private(set) var passes = 0
    /// Seconds between passes, and of audio per pass.
    public var interval = 10.0
    public var window = 40.0

    public init(archive: Archive, engine: VoiceEngine, logger: Logger = Logger(label: "siaran.voices")) {
        self.archive = archive
        diariser = VoiceDiariser(engine: engine)
        self.logger = logger
    }

    /// Starts listening to session `id` as its segments are finished.
    public func start(sessionID id: String) {
        background.start { [self] in run(id) }
    }

    /// The recording has ended: stop after the pass under way.
    public func finish() {
        background.finish()
    }

    private func run(_ id: String) {
        let run = "live-" + SessionEvent.newID().dropFirst()
        var learnt: [String: [Double]] = [:]
        var done = 0.0
        var failures = 0
        while !background.wait(1) {
            let segments = ((try? archive.loadManifest(id))?.segments) ?? []
            let available = segments.last.map { $0.mediaStart + $0.duration } ?? 0
            guard available - done >= min(interval, 4) || (available > done && passes == 0 && available >= 4), failures < 3 else { continue }
            let began = Date()
            do {
                try pass(id, segments: segments, until: available, run: run, learnt: &learnt)
                done = available
                failures = 0
                passes += 1
            } catch {
                failures += 1
                logger.warning("live voices of \(id) failed (\(error)); \(failures < 3 ? "trying again" : "giving up until the final pass")")
            }
            // At most one pass per `interval` (a pass of a 40 s window takes a few seconds of one core).
            background.wait(interval - Date().timeIntervalSince(began))
        }
    }

    private func pass(_ id: String, segments: [SegmentRecord], until: Double, run: String, learnt: inout [String: [Double]]) throws {
        let library = VoiceLibrary(archive: archive)
        guard library.isEnabled else { return }
        let from = max(0, until - window)
        let tags = try Tagger(archive: archive).timeline(of: id).speakerTurns.filter { $0.start >= from - 1 && $0.start < until }
            .map { (at: $0.start, person: $0.value) }
        var entries = (try JSONSerialization.jsonObject(with: library.workerLibrary()) as? [[String: Any]]) ?? []
        entries += learnt.map { ["person": $0.key, "vector": $0.value] }
        let heard = try diariser.diarise(segments.filter { $0.mediaStart + $0.duration > from }, in: archive.mediaDirectory(of: id),
                                         from: from, to: until, tags: tags, library: try JSONSerialization.data(withJSONObject: entries))
        for voice in heard.voices where voice.basis == "tag" && voice.seconds >= VoicePass.shortestToLearn && voice.vector.count == 256 {
            if let person = voice.person { learnt[person] = voice.vector }
        }
        let events = VoicePass.events(heard, run: run).enumerated().map { index, event in
            var event = event
            event.id = "\(run)-\(passes + 1)-\(index + 1)"
            return event
        }
        try EventLog(path: archive.eventsPath(of: id)).append(contentsOf: events)
        archive.noteChange()
    }
}
