import Foundation
import SiaranArchive
import SiaranCore
import SiaranMedia

/// Who spoke when in a stretch of a session, heard by the voice worker: the session's audio decoded
/// with libav (`SpeechAudio`, 16 kHz mono PCM, as transcription does) and streamed to the worker with
/// the officer's speaker tags and the office's voice library; the worker's times are put back on the
/// session clock through the decoder's anchors, and a turn that spans a gap is cut there.
public struct VoiceDiariser: Sendable {
    public var engine: VoiceEngine

    public init(engine: VoiceEngine) { self.engine = engine }

    /// One voice the worker told apart.
    public struct Voice: Sendable, Equatable {
        /// 1-based, in the order the worker numbered them.
        public var number: Int
        public var seconds: Double
        public var person: String?
        /// "tag" or "library" when named.
        public var basis: String?
        public var similarity: Double?
        /// The voice's mean vector (for learning); empty when the worker gave none.
        public var vector: [Double]
    }

    /// A stretch of one voice, on the session clock.
    public struct Turn: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var voice: Int
    }

    /// What a pass heard.
    public struct Heard: Sendable {
        public var voices: [Voice]
        public var turns: [Turn]
        public var audioSeconds: Double
        public var cpuSeconds: Double
        public var unreadableSegments: [String]
    }

    /// Diarises the audio of `segments` (files in `directory`) from session time `from` to `to`,
    /// naming voices from `tags` (session-clock moments and people) and `library` (the worker's
    /// library JSON, or nil). `progress` gets the seconds of audio sent so far.
    public func diarise(_ segments: [SegmentRecord], in directory: String, from: Double = 0, to: Double? = nil,
                        tags: [(at: Double, person: String)], library: Data?,
                        progress: (Double) -> Void = { _ in }) throws -> Heard {
        let scratch = NSTemporaryDirectory() + "siaran-voices-\(UUID().uuidString)"
        guard mkdir(scratch, 0o700) == 0 else { throw VoiceEngine.Failure(description: "cannot make the scratch folder \(scratch)") }
        // The library copy holds voice vectors: it lives only as long as this pass.
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var arguments = ["diarise", "--input", "-", "--tags", scratch + "/tags.json"]
        if library != nil { arguments += ["--library", scratch + "/library.json"] }
        let worker = try VoiceWorkerProcess(engine: engine, arguments: arguments)
        let rate = Double(SpeechAudio.sampleRate)
        let limit = to.map { Int((max($0 - from, 0)) * rate) + SpeechAudio.sampleRate * 30 }
        var sent = 0
        let report: SpeechAudio.Report
        do {
            report = try SpeechAudio.decode(segments.filter { to == nil || $0.mediaStart < to! }, in: directory, from: from) { samples in
                if let limit, sent >= limit { return }
                try worker.send(samples)
                sent += samples.count
                if sent % (SpeechAudio.sampleRate * 30) < samples.count { progress(Double(sent) / rate) }
            }
            let anchors = report.anchors
            let inInput = tags.compactMap { tag -> [String: Any]? in
                guard let sample = Self.sample(at: tag.at, anchors: anchors, total: sent) else { return nil }
                return ["at": Double(sample) / rate, "person": tag.person]
            }
            try write(try JSONSerialization.data(withJSONObject: inInput), to: scratch + "/tags.json")
            if let library { try write(library, to: scratch + "/library.json") }
        } catch {
            worker.abandon()
            throw error
        }
        let lines = try worker.finish()
        var voices: [Voice] = []
        var turns: [Turn] = []
        var cpu = 0.0
        for line in lines {
            switch line["type"] as? String {
            case "voice":
                // The worker counts voices from 0; the officer reads "Suara 1" for the first.
                guard let number = (line["voice"] as? Int).map({ $0 + 1 }) else { continue }
                voices.append(Voice(number: number, seconds: line["seconds"] as? Double ?? 0, person: line["person"] as? String,
                                    basis: line["by"] as? String, similarity: line["similarity"] as? Double,
                                    vector: (line["vector"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []))
            case "turn":
                guard let start = line["start"] as? Double, let end = line["end"] as? Double, let voice = line["voice"] as? Int else { continue }
                turns += Self.sessionTurns(start: start, end: end, voice: voice + 1, anchors: report.anchors, to: to)
            case "done":
                cpu = line["cpu_seconds"] as? Double ?? 0
            default:
                continue
            }
        }
        return Heard(voices: voices, turns: turns, audioSeconds: Double(sent) / rate, cpuSeconds: cpu,
                     unreadableSegments: report.unreadableSegments)
    }

    /// One voice's vector from a sample: `seconds` of session audio from `from` (segments in
    /// `directory`), or a whole media file (`file`, decoded by the worker). Returns the vector and the
    /// seconds it was made from.
    public func embed(file: String? = nil, segments: [SegmentRecord] = [], in directory: String = "", from: Double = 0,
                      seconds: Double = 10) throws -> (vector: [Double], seconds: Double) {
        let worker: VoiceWorkerProcess
        if let file {
            guard PlainFile.isPlainFile(file) else { throw VoiceEngine.Failure(description: "\(file): no such file (give an audio or video file)") }
            worker = try VoiceWorkerProcess(engine: engine, arguments: ["embed", "--input", file, "--end", String(seconds)])
        } else {
            worker = try VoiceWorkerProcess(engine: engine, arguments: ["embed", "--input", "-"])
            let limit = Int(seconds * Double(SpeechAudio.sampleRate))
            var sent = 0
            do {
                _ = try SpeechAudio.decode(segments.filter { $0.mediaStart < from + seconds }, in: directory, from: from) { samples in
                    guard sent < limit else { return }
                    let part = Array(samples.prefix(limit - sent))
                    try worker.send(part)
                    sent += part.count
                }
            } catch {
                worker.abandon()
                throw error
            }
        }
        let lines = try worker.finish()
        guard let line = lines.last(where: { $0["type"] as? String == "vector" }),
              let vector = (line["vector"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.doubleValue }), vector.count == 256 else {
            throw VoiceEngine.Failure(description: "the voice worker gave no voice vector for the sample")
        }
        return (vector, line["seconds"] as? Double ?? seconds)
    }

    private func write(_ data: Data, to path: String) throws {
        try AtomicFile.write(data, to: path, mode: 0o600)
    }

    /// The input sample at session time `time` (a moment in a gap: the first sample after it); nil
    /// when it lies outside the audio sent.
    public static func sample(at time: Double, anchors: [SpeechAudio.Anchor], total: Int) -> Int? {
        let rate = Double(SpeechAudio.sampleRate)
        for (index, anchor) in anchors.enumerated() {
            let next = index + 1 < anchors.count ? anchors[index + 1].sample : total
            if time < anchor.seconds { return anchor.sample < total ? anchor.sample : nil }
            let sample = anchor.sample + Int((time - anchor.seconds) * rate)
            if sample < next { return sample }
        }
        return nil
    }

    /// A worker turn (input seconds) on the session clock, cut wherever the input jumps (a gap),
    /// and at `to` when given.
    public static func sessionTurns(start: Double, end: Double, voice: Int, anchors: [SpeechAudio.Anchor], to: Double?) -> [Turn] {
        let rate = Double(SpeechAudio.sampleRate)
        let first = Int(start * rate), last = Int(end * rate)
        var cuts = [first] + anchors.map(\.sample).filter { $0 > first && $0 < last } + [last]
        cuts = cuts.sorted()
        var result: [Turn] = []
        for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
            let from = SpeechAudio.seconds(ofSample: a, anchors: anchors)
            var until = SpeechAudio.seconds(ofSample: b - 1, anchors: anchors) + 1 / rate
            if let to { until = min(until, to) }
            if until - from >= 0.05 {
                if let previous = result.last, abs(previous.end - from) < 0.25 { result[result.count - 1].end = until } else {
                    result.append(Turn(start: from, end: until, voice: voice))
                }
            }
        }
        return result
    }
}
