import Foundation
import SiaranArchive
import SiaranCore
import SiaranRecording
import Testing

/// When live captions passes run and where their audio starts (issue 32), from the pass log
/// (`LiveCaptions.passLog`) of passes with the real speech worker over a recording of spoken
/// Indonesian (SpeechToTextTests' briefing) whose segment is on disk.
@Suite("Live captions' passes", .timeLimit(.minutes(20)), .ownThreads)
struct LiveCaptionsPassTests {
    /// One pass as the pass log holds it.
    struct Pass: Sendable {
        var started: Double
        var written: Double
        var from: Double
        var agreedStarts: [Double]
    }

    /// Passes over the briefing, run once for the tests below (a real worker's passes cost seconds),
    /// and the captions' `step`.
    static let passes: Result<(passes: [Pass], step: Double), any Error> = Result { try run() }

    static func run() throws -> (passes: [Pass], step: Double) {
        let folder = Harness.temporaryFolder("live-passes")
        let (media, _) = try SpeechToTextTests.spokenBriefing(in: folder)
        let archive = Archive(path: folder + "/archive")
        try archive.prepare()
        let id = try archive.createSessionDirectory(title: "Konferensi pers", date: Date())
        try FileManager.default.createDirectory(atPath: archive.mediaDirectory(of: id), withIntermediateDirectories: true)
        let segment = archive.mediaDirectory(of: id) + "/000000.ts"
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-i", media, "-vn", "-c:a", "aac", "-muxdelay", "0",
                                                           "-muxpreload", "0", "-f", "mpegts", segment]).wait(timeout: 60)
        #expect(made.status == 0, "\(made.stderr)")
        let seconds = try Harness.probeDuration(segment)
        let now = Date()
        var manifest = SessionManifest(id: id, title: "Konferensi pers", kind: .live, source: "tcp://127.0.0.1:1", createdAt: now,
                                       segmentFormat: "ts", targetSegmentDuration: seconds)
        manifest.state = .recording
        manifest.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: seconds,
                                           wallClockStart: now.addingTimeInterval(-seconds), bytes: 1, discontinuity: false)]
        try archive.saveManifest(manifest)

        let engine = try SpeechEngine.installed(environment: ProcessInfo.processInfo.environment.merging(["SIARAN_ASR_WORKER": LiveCaptionsTests.worker]) { $1 })
        let captions = LiveCaptions(archive: archive, engine: engine)
        // The whole briefing in one window from the start: no skip ahead (whose start is no word's).
        captions.longestBuffer = seconds + 10
        let log = folder + "/passes.jsonl"
        captions.passLog = log
        captions.start(sessionID: id)
        _ = Harness.waitUntil(timeout: 180) { captions.passes >= 5 }
        captions.finish()
        let lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
        return (try lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let agreed = (object["agreedWords"] as? [[Any]]) ?? []
            return Pass(started: try #require(object["at"] as? Double), written: try #require(object["written"] as? Double),
                        from: try #require(object["from"] as? Double), agreedStarts: agreed.compactMap { $0.first as? Double })
        }, captions.step)
    }

    @Test("a pass starts `step` seconds after the previous one started, or at once when that one took longer: not a whole pause after it ended")
    func passesFollowFromTheirStart() throws {
        let (passes, step) = try Self.passes.get()
        #expect(passes.count >= 4, "\(passes.count) passes logged")
        var slow = 0
        for (pass, next) in zip(passes, passes.dropFirst()) {
            let took = pass.written - pass.started
            let pause = next.started - pass.written
            if took > 1 { slow += 1 }
            // Until session 15 every pass was followed by the whole `step` (2.5 s), however long it took.
            // A second's slack for a late wake on a loaded machine; the slow first pass
            // still tells the old pause from the new (the bound is under the old whole step when a pass took over 1 s).
            #expect(pause <= max(0, step - took) + 1.0, "a pass that took \(took) s was followed \(pause) s after it ended (step \(step) s)")
        }
        // The first pass hears the whole briefing: a real recogniser takes over a second for it.
        #expect(slow >= 1, "no pass took over a second, so the pause after one was not tried")
    }

    @Test("a pass's audio starts at a word boundary: the start of a word an earlier pass showed (or the recording's start), not inside it")
    func windowStartsAtAWord() throws {
        let passes = try Self.passes.get().passes
        var shownStarts: Set<Double> = [0]
        var afterAgreement = 0
        for pass in passes {
            #expect(shownStarts.contains { abs($0 - pass.from) < 0.0015 }, "a pass's audio starts at \(pass.from) s, not at a shown word's start (\(shownStarts.sorted()))")
            if pass.from > 0 { afterAgreement += 1 }
            shownStarts.formUnion(pass.agreedStarts)
        }
        #expect(afterAgreement >= 1, "no pass started after an agreed word: \(passes.map(\.from))")
    }
}
