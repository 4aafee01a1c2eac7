import Foundation
import SiaranTestSupport
import Testing

/// Speech to text end to end: espeak-ng speaks known Indonesian sentences at known times into a
/// file; it is imported and transcribed offline (the engine `Scripts/setup-speech` installs); each
/// sentence's keyword is found by `siaran search` within 2 s of where it was said.
@Suite("Speech to text", .timeLimit(.minutes(8)))
struct SpeechToTextTests {
    struct Output: Decodable {
        struct Hit: Decodable { var seconds: Double; var matched: String; var text: String }
        var hits: [Hit]
    }

    /// Sentences, the keyword of each, and the silence before each (seconds).
    static let sentences: [(text: String, keyword: String, pause: Double)] = [
        ("Selamat pagi, hari ini kita membahas sosialisasi pemilu.", "sosialisasi", 3),
        ("Informasi palsu atau hoaks menyebar di media sosial.", "hoaks", 3),
        ("Distribusi logistik ke kecamatan dimulai besok pagi.", "logistik", 3),
    ]

    @Test("keywords spoken in Indonesian are found within 2 s of where they were said; the transcript says it is one")
    func spokenKeywords() throws {
        let folder = Harness.temporaryFolder("speech")
        var starts: [Double] = []
        var clock = 0.0
        var inputs: [String] = []
        var filters: [String] = []
        for (index, sentence) in Self.sentences.enumerated() {
            let wav = folder + "/s\(index).wav"
            let spoken = try Harness.Running("/usr/bin/espeak-ng", ["-v", "id", "-s", "150", "-w", wav, sentence.text]).wait(timeout: 30)
            #expect(spoken.status == 0, "espeak-ng: \(spoken.stderr)")
            clock += sentence.pause
            starts.append(clock)
            clock += try Harness.probeDuration(wav)
            inputs += ["-i", wav]
            filters.append("[\(index)]adelay=\(Int(sentence.pause * 1000))[a\(index)]")
        }
        let concat = filters.joined(separator: ";") + ";" + (0..<Self.sentences.count).map { "[a\($0)]" }.joined() + "concat=n=\(Self.sentences.count):v=0:a=1[out]"
        let media = folder + "/briefing.mp4"
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y"] + inputs + ["-f", "lavfi", "-i", "color=c=blue:s=320x240:r=25",
                                      "-filter_complex", concat, "-map", "\(Self.sentences.count):v", "-map", "[out]", "-shortest",
                                      "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac", media]).wait(timeout: 60)
        #expect(made.status == 0, "ffmpeg: \(made.stderr)")

        let archive = Harness.temporaryFolder("archive")
        let id = try Harness.run(["import", media, "--archive", archive]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let transcribed = try Harness.run(["transcribe", id, "--archive", archive], timeout: 300)
        try #require(transcribed.status == 0, "transcribe failed (is the engine installed? Scripts/setup-speech): \(transcribed.stderr)")
        #expect(transcribed.stdout.contains("asr.vtt"))
        let vtt = try String(contentsOfFile: archive + "/\(id)/captions/asr.vtt", encoding: .utf8)
        #expect(vtt.contains("NOTE machine transcript") && vtt.contains("faster-whisper") && vtt.contains("sha256"), "\(vtt)")

        for (sentence, start) in zip(Self.sentences, starts) {
            let result = try Harness.run(["search", sentence.keyword, "--archive", archive, "--json"])
            let hits = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)).hits
            let hit = hits.first { $0.matched == "transcript" }
            #expect(hit.map { abs($0.seconds - start) <= 2 } == true,
                    "\(sentence.keyword) said at \(start) s; found \(hits.map { "\($0.seconds): \($0.text)" }); transcript:\n\(vtt)")
        }
    }

    @Test("without an engine, transcribe says what to install")
    func missingEngine() throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/x.mp4", seconds: 2)
        let archive = Harness.temporaryFolder("archive")
        let id = try Harness.run(["import", folder + "/x.mp4", "--archive", archive]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try Harness.run(["transcribe", id, "--archive", archive], environment: ["SIARAN_SPEECH_HOME": folder + "/nothing"])
        #expect(result.status == 1 && result.stderr.contains("Scripts/setup-speech"), "\(result.stderr)")
        let model = try Harness.run(["transcribe", id, "--archive", archive, "--model", folder], timeout: 60)
        #expect(model.status == 1 && model.stderr.contains("no model.bin"), "\(model.stderr)")
    }
}
