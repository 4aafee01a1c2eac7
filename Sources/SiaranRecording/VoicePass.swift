import Foundation
import SiaranArchive
import SiaranCore

/// `siaran voices SESSION` (and the pass after a recording or an import): diarises the session,
/// writes what it heard as one run of `voice` suggestions in the event log (replacing every earlier
/// run's), and learns: each voice the officer named (a tag, or a confirmed suggestion) enrolls or
/// updates that person in the office's library. Refused while voices are off for the office.
public struct VoicePass: Sendable {
    public var diariser: VoiceDiariser
    /// Voices heard for less than this are not learnt from (too little speech for a steady vector).
    public static let shortestToLearn = 4.0

    public init(engine: VoiceEngine) { diariser = VoiceDiariser(engine: engine) }

    /// What a pass did.
    public struct Result: Sendable {
        public var run: String
        public var voices: Int
        /// People suggested, and how ("tag" | "library"), by voice number.
        public var named: [Int: (person: String, basis: String)]
        public var suggestions: Int
        public var learnt: [String]
        public var audioSeconds: Double
        public var cpuSeconds: Double
        public var unreadableSegments: [String]
    }

    /// Runs a pass over session `id` of `archive`.
    public func run(_ archive: Archive, _ id: String, author: String, progress: (Double) -> Void = { _ in }) throws -> Result {
        let library = VoiceLibrary(archive: archive)
        guard library.isEnabled else { throw VoiceLibrary.Problem.disabled }
        let manifest = try archive.loadManifest(id)
        guard !manifest.segments.isEmpty else { throw VoiceEngine.Failure(description: "session \(id) has no recorded media to listen to") }
        let timeline = try Tagger(archive: archive).timeline(of: id)
        let tags = timeline.speakerTurns.map { (at: $0.start, person: $0.value) }
        let heard = try diariser.diarise(manifest.segments, in: archive.mediaDirectory(of: id), tags: tags,
                                         library: try library.workerLibrary(), progress: progress)
        let run = "r" + SessionEvent.newID().dropFirst()
        let events = Self.events(heard, run: run)
        try EventLog(path: archive.eventsPath(of: id)).append(contentsOf: events)
        archive.noteChange()
        var learnt: [String] = []
        for voice in heard.voices where voice.basis == "tag" && voice.seconds >= Self.shortestToLearn && voice.vector.count == 256 {
            guard let person = voice.person else { continue }
            try library.enroll(person, sample: .init(session: id, seconds: voice.seconds, basis: "tag", vector: voice.vector), by: author)
            learnt.append(person)
        }
        var named: [Int: (String, String)] = [:]
        for voice in heard.voices { if let person = voice.person { named[voice.number] = (person, voice.basis ?? "") } }
        return Result(run: run, voices: heard.voices.count, named: named, suggestions: events.count, learnt: learnt,
                      audioSeconds: heard.audioSeconds, cpuSeconds: heard.cpuSeconds, unreadableSegments: heard.unreadableSegments)
    }

    /// The `voice` events of one run: one per turn.
    static func events(_ heard: VoiceDiariser.Heard, run: String, now: Date = Date()) -> [SessionEvent] {
        let voices = Dictionary(heard.voices.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        return heard.turns.enumerated().map { index, turn in
            let voice = voices[turn.voice]
            // Ids in log order: the run's prefix and the turn's number.
            return SessionEvent(id: "\(run)-\(index + 1)", kind: .voice, media: turn.start, value: voice?.person, recordedAt: now,
                                author: Tagger.voicesAuthor, until: turn.end, voice: turn.voice, similarity: voice?.similarity,
                                basis: voice?.person == nil ? nil : voice?.basis, run: run)
        }
    }
}
