import Foundation
import Testing

/// The voice engine (issue 31) as `Scripts/setup-speech` installs it: three espeak-ng voices take
/// turns; the worker finds three voices, names each from the officer's one tag per person, names a
/// voice from the office's library when it was not tagged, and refuses a crafted model file without
/// running what it names.
@Suite("Voice worker", .timeLimit(.minutes(20)), .ownThreads)
struct VoiceWorkerTests {
    struct Line: Decodable {
        var type: String
        var voice: Int?
        var person: String?
        var by: String?
        var start: Double?
        var end: Double?
        var vector: [Double]?
        var code: String?
    }

    static let home = ProcessInfo.processInfo.environment["SIARAN_SPEECH_HOME"]
        ?? NSHomeDirectory() + "/.local/share/siaran/speech"
    static let model = home + "/models/voice-ge2e/pretrained.pt"

    /// (person, espeak-ng voice, pitch, vocal-tract factor) in speaking order; each says two sentences
    /// per turn. The factor shifts pitch and formants with the duration kept (as Scripts/bench-voices
    /// does with sox): espeak-ng's variants alone sound too much alike to be different people.
    static let turns: [(person: String, voice: String, pitch: String, tract: Double)] = [
        ("Ilham Saputra", "id+m1", "40", 0.88), ("Evi Novida", "id+f5", "55", 1.15), ("Viryan Aziz", "id+klatt3", "35", 1.0),
        ("Ilham Saputra", "id+m1", "40", 0.88), ("Evi Novida", "id+f5", "55", 1.15),
    ]
    static let sentences = [
        "Hari ini kita membahas pemutakhiran daftar pemilih tetap untuk pemilihan umum.",
        "Distribusi logistik pemilu harus selesai dua minggu sebelum hari pemungutan suara.",
    ]

    /// The briefing as one 16 kHz WAV, and each turn's (person, start, end) in seconds.
    static func briefing(in folder: String, turns: [(person: String, voice: String, pitch: String, tract: Double)] = Self.turns) throws
        -> (wav: String, spoken: [(person: String, start: Double, end: Double)]) {
        var inputs: [String] = []
        var filters: [String] = []
        var spoken: [(String, Double, Double)] = []
        var clock = 0.0
        for (index, turn) in turns.enumerated() {
            let wav = folder + "/t\(index).wav"
            let said = try Harness.Running("/usr/bin/espeak-ng", ["-v", turn.voice, "-p", turn.pitch, "-s", "150", "-w", wav, sentences.joined(separator: " ")]).wait(timeout: 30)
            try #require(said.status == 0, "espeak-ng: \(said.stderr)")
            let seconds = try Harness.probeDuration(wav)
            spoken.append((turn.person, clock, clock + seconds))
            clock += seconds
            inputs += ["-i", wav]
            filters.append("[\(index):a]aresample=16000,asetrate=\(Int(16000 * turn.tract)),aresample=16000,atempo=\(1 / turn.tract)[v\(index)]")
        }
        let out = folder + "/briefing.wav"
        let joined = filters.joined(separator: ";") + ";" + (0..<turns.count).map { "[v\($0)]" }.joined() + "concat=n=\(turns.count):v=0:a=1[a]"
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y"] + inputs + ["-filter_complex", joined, "-map", "[a]", "-ar", "16000", "-ac", "1", out]).wait(timeout: 60)
        try #require(made.status == 0, "ffmpeg: \(made.stderr)")
        return (out, spoken)
    }

    static func worker(_ arguments: [String]) throws -> (status: Int32, lines: [Line], stderr: String) {
        let run = try Harness.Running(home + "/venv/bin/python", [home + "/bin/siaran-voice-worker"] + arguments + ["--model", model],
                                      environment: ["OPENBLAS_NUM_THREADS": "1"]).wait(timeout: 300)
        let lines = run.stdout.split(separator: "\n").compactMap { try? JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        return (run.status, lines, run.stderr)
    }

    static func write(_ object: Any, to path: String) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// The person named on the voice heard most within [start, end].
    static func named(_ lines: [Line], _ start: Double, _ end: Double) -> String? {
        var heard: [Int: Double] = [:]
        for turn in lines where turn.type == "turn" {
            let overlap = min(turn.end ?? 0, end) - max(turn.start ?? 0, start)
            if overlap > 0, let voice = turn.voice { heard[voice, default: 0] += overlap }
        }
        guard let voice = heard.max(by: { $0.value < $1.value })?.key else { return nil }
        return lines.first { $0.type == "voice" && $0.voice == voice }?.person
    }

    @Test("three voices found and named from one tag each; an untagged voice named from the library")
    func namesVoices() throws {
        try #require(FileManager.default.fileExists(atPath: Self.model), "no voice model: run Scripts/setup-speech")
        let folder = Harness.temporaryFolder("voices")
        let (wav, spoken) = try Self.briefing(in: folder)
        var firsts: [String: Double] = [:]
        for turn in spoken where firsts[turn.person] == nil { firsts[turn.person] = turn.start }
        try Self.write(firsts.map { ["at": $0.value, "person": $0.key] }, to: folder + "/tags.json")

        let tagged = try Self.worker(["diarise", "--input", wav, "--tags", folder + "/tags.json"])
        try #require(tagged.status == 0, "worker: \(tagged.stderr)")
        let voices = tagged.lines.filter { $0.type == "voice" }
        #expect(voices.count == 3, "\(voices.map { ($0.voice ?? -1, $0.person ?? "-") })")
        for turn in spoken {
            #expect(Self.named(tagged.lines, turn.start + 0.5, turn.end - 0.5) == turn.person, "\(turn)")
        }
        #expect(voices.allSatisfy { $0.vector?.count == 256 })

        // Enrol Ilham from his first turn; tag only the others: the library names him (by: library).
        let enrol = try Self.worker(["embed", "--input", wav, "--start", "\(spoken[0].start)", "--end", "\(spoken[0].end)"])
        let vector = try #require(enrol.lines.last?.vector, "embed: \(enrol.stderr)")
        try Self.write([["person": "Ilham Saputra", "vector": vector]], to: folder + "/library.json")
        try Self.write(firsts.filter { $0.key != "Ilham Saputra" }.map { ["at": $0.value, "person": $0.key] }, to: folder + "/others.json")
        let suggested = try Self.worker(["diarise", "--input", wav, "--tags", folder + "/others.json", "--library", folder + "/library.json", "--no-vectors"])
        try #require(suggested.status == 0, "worker: \(suggested.stderr)")
        let ilham = suggested.lines.first { $0.type == "voice" && $0.person == "Ilham Saputra" }
        #expect(ilham?.by == "library", "\(suggested.lines.filter { $0.type == "voice" }.map { ($0.person ?? "-", $0.by ?? "-") })")
        #expect(Self.named(suggested.lines, spoken[3].start + 0.5, spoken[3].end - 0.5) == "Ilham Saputra")
    }

    @Test("a crafted model file that names a function to call is refused, and the function never runs")
    func craftedModelRefused() throws {
        try #require(FileManager.default.fileExists(atPath: Self.home + "/bin/siaran-voice-worker"), "no voice worker: run Scripts/setup-speech")
        let folder = Harness.temporaryFolder("voices-crafted")
        let marker = folder + "/ran"
        // A legacy-format checkpoint whose header's system-information pickle asks for os.system("touch MARKER").
        let craft = "import pickle, os, sys\nclass P:\n    def __reduce__(self): return (os.system, ('touch ' + sys.argv[2],))\n"
            + "f = open(sys.argv[1], 'wb')\nfor x in (0x1950A86A20F9469CFC6C, 1001, P(), {}):\n    pickle.dump(x, f, protocol=2)\n"
        let made = try Harness.Running(Self.home + "/venv/bin/python", ["-c", craft, folder + "/evil.pt", marker]).wait(timeout: 30)
        try #require(made.status == 0, "\(made.stderr)")
        let run = try Harness.Running(Self.home + "/venv/bin/python", [Self.home + "/bin/siaran-voice-worker", "embed", "--model", folder + "/evil.pt", "--input", "-"]).wait(timeout: 60)
        #expect(run.status == 3, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("\"model_invalid\""), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: marker), "the crafted model ran a command")
    }
}
