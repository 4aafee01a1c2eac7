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
    public var threads = 2

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
        let worker = try WorkerProcess(engine: engine, language: language, threads: threads)
        var sent = 0
        let report: SpeechAudio.Report
        do {
            report = try SpeechAudio.decode(manifest.segments, in: archive.mediaDirectory(of: id)) { samples in
                try worker.send(samples)
                sent += samples.count
                if sent % (SpeechAudio.sampleRate * 30) < samples.count { progress(Double(sent) / Double(SpeechAudio.sampleRate)) }
            }
        } catch {
            worker.abandon()
            throw error
        }
        let output = try worker.finish()
        let words = output.words.map { word in
            TranscriptLines.Word(start: SpeechAudio.seconds(ofSample: Int(word.start * Double(SpeechAudio.sampleRate)), anchors: report.anchors),
                                 end: SpeechAudio.seconds(ofSample: Int(word.end * Double(SpeechAudio.sampleRate)), anchors: report.anchors),
                                 text: word.word, segment: word.segment)
        }
        let cues = TranscriptLines.cues(words)
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        let path = archive.machineTranscriptPath(of: id)
        let note = "NOTE machine transcript (speech-to-text by Siaran): \(output.engine), model \((engine.model as NSString).lastPathComponent)"
            + " sha256 \(output.modelHash.prefix(16)), language \(language), made \(ISO8601.format(Date()))\n\n"
        try AtomicFile.write(Data((WebVTT.header + note + WebVTT.renderBlocks(cues)).utf8), to: path)
        archive.noteChange()
        return Result(path: path, cues: cues.count, words: words.count, audioSeconds: Double(report.samples) / Double(SpeechAudio.sampleRate),
                      engine: output.engine, unreadableSegments: report.unreadableSegments)
    }
}
