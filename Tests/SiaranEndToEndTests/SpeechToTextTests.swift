import Foundation
import SiaranTestSupport
import Testing

/// Speech to text end to end: espeak-ng speaks known Indonesian sentences at known times into a
/// file; it is imported and transcribed offline (the engine `Scripts/setup-speech` installs); each
/// sentence's keyword is found by `siaran search` within 2 s of where it was said.
@Suite("Speech to text", .timeLimit(.minutes(20)), .ownThreads)
struct SpeechToTextTests {
    struct Output: Decodable {
        struct Hit: Decodable { var seconds: Double; var matched: String; var text: String }
        var hits: [Hit]
    }

    /// Sentences, the keyword of each (said first, so its time is the sentence's), and the silence
    /// before each (seconds).
    static let sentences: [(text: String, keyword: String, pause: Double)] = [
        ("Sosialisasi pemilu kita mulai pagi ini bersama masyarakat.", "sosialisasi", 3),
        ("Hoaks menyebar di media sosial setiap hari.", "hoaks", 3),
        ("Logistik pemilu dikirim ke kecamatan besok pagi.", "logistik", 3),
    ]

    /// A briefing file in which espeak-ng says `sentences`; when each sentence starts.
    static func spokenBriefing(in folder: String) throws -> (media: String, starts: [Double]) {
        var starts: [Double] = []
        var clock = 0.0
        var inputs: [String] = []
        var filters: [String] = []
        for (index, sentence) in sentences.enumerated() {
            let wav = folder + "/s\(index).wav"
            let spoken = try Harness.Running("/usr/bin/espeak-ng", ["-v", "id", "-s", "150", "-w", wav, sentence.text]).wait(timeout: 30)
            #expect(spoken.status == 0, "espeak-ng: \(spoken.stderr)")
            clock += sentence.pause
            starts.append(clock)
            clock += try Harness.probeDuration(wav)
            inputs += ["-i", wav]
            filters.append("[\(index)]adelay=\(Int(sentence.pause * 1000))[a\(index)]")
        }
        let concat = filters.joined(separator: ";") + ";" + (0..<sentences.count).map { "[a\($0)]" }.joined() + "concat=n=\(sentences.count):v=0:a=1[out]"
        let media = folder + "/briefing.mp4"
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y"] + inputs + ["-f", "lavfi", "-i", "color=c=blue:s=320x240:r=25",
                                      "-filter_complex", concat, "-map", "\(sentences.count):v", "-map", "[out]", "-shortest",
                                      "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-c:a", "aac", media]).wait(timeout: 60)
        #expect(made.status == 0, "ffmpeg: \(made.stderr)")
        return (media, starts)
    }

    /// The keywords `siaran search` finds in the transcript within 2 s of where they were said, and
    /// what it found for the others.
    static func keywordsFound(in archive: String, starts: [Double]) throws -> (found: Int, misses: [String]) {
        var found = 0
        var misses: [String] = []
        for (sentence, start) in zip(sentences, starts) {
            let result = try Harness.run(["search", sentence.keyword, "--archive", archive, "--json"])
            let hits = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8)).hits
            if let hit = hits.first(where: { $0.matched == "transcript" }), abs(hit.seconds - start) <= 2 { found += 1 } else {
                misses.append("\(sentence.keyword) said at \(start) s; found \(hits.map { "\($0.seconds): \($0.text)" })")
            }
        }
        return (found, misses)
    }

    @Test("keywords spoken in Indonesian are found within 2 s of where they were said; the transcript says it is one")
    func spokenKeywords() throws {
        let folder = Harness.temporaryFolder("speech")
        let (media, starts) = try Self.spokenBriefing(in: folder)
        let archive = Harness.temporaryFolder("archive")
        let id = try Harness.run(["import", media, "--archive", archive]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let transcribed = try Harness.run(["transcribe", id, "--archive", archive], timeout: 300)
        try #require(transcribed.status == 0, "transcribe failed (is the engine installed? Scripts/setup-speech): \(transcribed.stderr)")
        #expect(transcribed.stdout.contains("asr.vtt"))
        let vtt = try String(contentsOfFile: archive + "/\(id)/captions/asr.vtt", encoding: .utf8)
        #expect(vtt.contains("NOTE machine transcript") && vtt.contains("faster-whisper") && vtt.contains("sha256"), "\(vtt)")

        let keywords = try Self.keywordsFound(in: archive, starts: starts)
        #expect(keywords.found == Self.sentences.count, "\(keywords.misses); transcript:\n\(vtt)")
    }

    // `record --transcribe` (the transcript grows during the recording and is whole after it) is
    // checked in LiveCaptionsTests.liveCaptions, on the one recording that its live captions share.

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
