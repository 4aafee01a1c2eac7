import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SiaranArchive
import SiaranCore
import SiaranMedia

/// `siaran transcribe`: a session's speech as a machine transcript, `captions/asr.vtt`, made on
/// this machine. The audio is decoded with libav (`SpeechAudio`) and streamed as 16 kHz PCM to the
/// speech worker (faster-whisper in its own process, at low priority, so a recording beside it
/// keeps its CPU); its words come back as JSON lines, are placed on the session clock and grouped
/// into lines (`TranscriptLines`). The file says it is a machine transcript (engine, model and its
/// hash, language, date); search shows its hits as `transcript`, below human captions.
public struct SpeechTranscriber: Sendable {
    public var engine: SpeechEngine
    public var language = "id"
    /// One thread costs the least CPU per audio second (Scripts/bench-transcribe).
    public var threads = 1

    public init(engine: SpeechEngine) {
        self.engine = engine
    }

    /// What transcribing did.
    public struct Result: Sendable {
        public var path: String
        public var cues: Int
        public var words: Int
        public var audioSeconds: Double
        public var engine: String
        public var unreadableSegments: [String]
    }

    /// Transcribes session `id`; `progress` gets the seconds of audio sent so far.
    public func transcribe(_ archive: Archive, _ id: String, progress: (Double) -> Void = { _ in }) throws -> Result {
        let manifest = try archive.loadManifest(id)
        guard !manifest.segments.isEmpty else { throw SpeechEngine.Missing(description: "session \(id) has no recorded media to transcribe") }
        let heard = try words(of: manifest.segments, in: archive.mediaDirectory(of: id), progress: progress)
        let cues = TranscriptLines.cues(heard.words)
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        let path = archive.machineTranscriptPath(of: id)
        try AtomicFile.write(Data((header(engine: heard.engine, modelHash: heard.modelHash) + WebVTT.renderBlocks(cues)).utf8), to: path)
        archive.noteChange()
        return Result(path: path, cues: cues.count, words: heard.words.count, audioSeconds: heard.audioSeconds,
                      engine: heard.engine, unreadableSegments: heard.unreadableSegments)
    }

    /// What the recogniser heard in some segments, on the session clock.
    struct Heard {
        var words: [TranscriptLines.Word]
        var engine: String
        var modelHash: String
        var audioSeconds: Double
        var unreadableSegments: [String]
    }

    /// The words said in `segments` from session time `from` on.
    func words(of segments: [SegmentRecord], in directory: String, from: Double = 0, progress: (Double) -> Void = { _ in }) throws -> Heard {
        let worker = try WorkerProcess(engine: engine, language: language, threads: threads)
        var sent = 0
        let report: SpeechAudio.Report
        do {
            report = try SpeechAudio.decode(segments, in: directory, from: from) { samples in
                try worker.send(samples)
                sent += samples.count
                if sent % (SpeechAudio.sampleRate * 30) < samples.count { progress(Double(sent) / Double(SpeechAudio.sampleRate)) }
            }
        } catch {
            worker.abandon()
            throw error
        }
        let output = try worker.finish()
        let rate = Double(SpeechAudio.sampleRate)
        let words = output.words.map { word in
            TranscriptLines.Word(start: SpeechAudio.seconds(ofSample: Int(word.start * rate), anchors: report.anchors),
                                 end: SpeechAudio.seconds(ofSample: Int(word.end * rate), anchors: report.anchors),
                                 text: word.word, segment: word.segment)
        }
        return Heard(words: words, engine: output.engine, modelHash: output.modelHash, audioSeconds: Double(report.samples) / rate,
                     unreadableSegments: report.unreadableSegments)
    }

    /// The first lines of a machine transcript: WebVTT's, and the note that says what made it.
    func header(engine name: String, modelHash: String) -> String {
        WebVTT.header + "NOTE machine transcript (speech-to-text by Siaran): \(name), model \((engine.model as NSString).lastPathComponent)"
            + " sha256 \(modelHash.prefix(16)), language \(language), made \(ISO8601.format(Date()))\n\n"
    }
}
