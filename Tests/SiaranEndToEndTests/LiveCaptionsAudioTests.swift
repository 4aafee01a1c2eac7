import Foundation
import SiaranArchive
import SiaranCore
import SiaranMedia
import SiaranRecording
import SiaranTestSupport
import Testing

/// The audio a live captions pass reads (issue 32): the finished segments and the MPEG-TS segment the
/// recorder is writing, which is on disk as `NAME.part` until it is finished. Until session 14 a pass
/// looked for it under `NAME` and heard a word only once its segment was finished.
@Suite("Live captions' audio", .timeLimit(.minutes(20)), .ownThreads)
struct LiveCaptionsAudioTests {
    /// `seconds` of a tone as MPEG-TS with AAC, its timestamps from `offset` (the session clock, as
    /// the recorder writes them).
    static func tone(_ path: String, seconds: Int, offset: Int) throws {
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)",
                                                           "-c:a", "aac", "-muxdelay", "0", "-muxpreload", "0", "-output_ts_offset", "\(offset)",
                                                           "-f", "mpegts", path]).wait(timeout: 60)
        #expect(made.status == 0, "\(made.stderr)")
    }

    /// A recording 5 s in: a finished 2 s segment and a 3 s one being written (`000001.ts.part`), as
    /// its manifest lists them at `now`.
    static func recording(_ name: String) throws -> (media: String, manifest: SessionManifest, now: Date) {
        let media = Harness.temporaryFolder(name)
        try tone(media + "/000000.ts", seconds: 2, offset: 0)
        try tone(media + "/000001.ts.part", seconds: 3, offset: 2)
        let now = Date()
        var manifest = SessionManifest(id: "live-audio", title: "Live audio", kind: .live, source: "tcp://127.0.0.1:1", createdAt: now,
                                       segmentFormat: "ts", targetSegmentDuration: 2)
        manifest.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 2, wallClockStart: now.addingTimeInterval(-5),
                                           bytes: 1, discontinuity: false)]
        manifest.openSegment = OpenSegmentRecord(sequence: 1, file: "000001.ts", mediaStart: 2, wallClockStart: now.addingTimeInterval(-3),
                                                 discontinuity: false)
        return (media, manifest, now)
    }

    /// Seconds of audio a pass at `now` reads, and where it takes the recording to be.
    static func heard(_ manifest: SessionManifest, in media: String, at now: Date) throws -> (seconds: Double, clock: Double) {
        let (segments, clock) = LiveAudioSegments.readable(manifest, mediaDirectory: media, at: now)
        var samples = 0
        _ = try SpeechAudio.decode(segments, in: media) { samples += $0.count }
        return (Double(samples) / Double(SpeechAudio.sampleRate), clock)
    }

    @Test("a pass hears the segment being written (NAME.part) as far as it is on disk, and the same segment once renamed into place")
    func segmentBeingWritten() throws {
        let (media, manifest, now) = try Self.recording("live-audio")

        let writing = try Self.heard(manifest, in: media, at: now)
        #expect(abs(writing.clock - 5) < 0.01, "the recording is at \(writing.clock) s, not 5 s")
        #expect(writing.seconds > 4.5, "a pass heard \(writing.seconds) s of the 5 s on disk (the open segment's \(3) s not read?)")

        // Cut mid-packet, as a file being written is: what is on disk is heard, no error.
        let part = media + "/000001.ts.part"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: part)[.size] as? Int)
        #expect(truncate(part, off_t(size / 2 + 77)) == 0)
        let cut = try Self.heard(manifest, in: media, at: now)
        #expect(cut.seconds > 2.8 && cut.seconds < 4.5, "a pass heard \(cut.seconds) s of a segment cut halfway (about 3.5 s)")

        // Finished and renamed since the manifest was read: still heard.
        try Self.tone(part, seconds: 3, offset: 2)
        try FileManager.default.moveItem(atPath: part, toPath: media + "/000001.ts")
        let renamed = try Self.heard(manifest, in: media, at: now)
        #expect(renamed.seconds > 4.5, "a pass heard \(renamed.seconds) s of the 5 s once the open segment was renamed into place")
    }

    @Test("a segment listed as being written (NAME.part) and renamed into place before the pass opens it is still heard")
    func segmentRenamedWhileRead() throws {
        let (media, manifest, now) = try Self.recording("live-audio-race")
        let (segments, _) = LiveAudioSegments.readable(manifest, mediaDirectory: media, at: now)
        #expect(segments.last?.file == "000001.ts.part")
        // The recorder finishes the segment while the pass reads the ones before it.
        try FileManager.default.moveItem(atPath: media + "/000001.ts.part", toPath: media + "/000001.ts")
        var samples = 0
        let report = try SpeechAudio.decode(segments, in: media) { samples += $0.count }
        let seconds = Double(samples) / Double(SpeechAudio.sampleRate)
        #expect(seconds > 4.5 && report.unreadableSegments.isEmpty, "a pass heard \(seconds) s of 5 s; unreadable: \(report.unreadableSegments)")
    }
}
