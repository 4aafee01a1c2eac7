import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// What the web server runs as `siaran-media` children: thumbnails (`thumbnail -o -`) and clips
/// streamed to standard output as fragmented MP4 (`clip -o -`), through a real pipe.
@Suite("Thumbnails and streamed clips for the web server", .timeLimit(.minutes(20)), .ownThreads)
struct ServerMediaTests {
    /// One archive for the suite: an 8 s 640×360 H.264+AAC session (2 s segments, a keyframe a
    /// second) and a 4 s audio-only one, imported once.
    struct Fixture: Sendable {
        var archive: String
        var video: String
        var audio: String
    }

    static let fixture: Result<Fixture, any Error> = Result {
        let folder = Harness.temporaryFolder("server-media")
        let picture = folder + "/briefing.mp4"
        let made = try Harness.Running("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error",
                                                           "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                                                           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "8",
                                                           "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                                                           "-c:a", "aac", "-b:a", "64k", "-y", picture]).wait()
        let sound = folder + "/radio.m4a"
        let madeSound = try Harness.Running("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=300",
                                                                "-t", "4", "-c:a", "aac", "-y", sound]).wait()
        guard made.status == 0, madeSound.status == 0 else { throw Failure("ffmpeg: \(made.stderr) \(madeSound.stderr)") }
        let archive = folder + "/archive"
        for file in [picture, sound] {
            let imported = try Harness.run(["import", file, "--archive", archive, "--segment-duration", "2"])
            guard imported.status == 0 else { throw Failure("import \(file): \(imported.stderr)") }
        }
        let ids = Archive(path: archive).sessionIDs()
        guard let video = ids.first(where: { $0.hasSuffix("briefing") }), let audio = ids.first(where: { $0.hasSuffix("radio") }) else {
            throw Failure("sessions: \(ids)")
        }
        return Fixture(archive: archive, video: video, audio: audio)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `siaran ARGS | cat > FILE` (standard output a real pipe); siaran's status and stderr.
    static func piped(_ arguments: [String], into file: String) throws -> Harness.Output {
        let quoted = ([Harness.siaran] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try Harness.Running("/bin/bash", ["-c", "set -o pipefail; \(quoted) | cat > '\(file)'"]).wait()
    }

    /// ffprobe's `-show_entries` of `path` as CSV lines.
    static func probe(_ path: String, _ entries: String, select: String? = nil) throws -> [String] {
        let streams = select.map { ["-select_streams", $0] } ?? []
        let result = try Harness.Running("/usr/bin/ffprobe", ["-v", "error"] + streams + ["-show_entries", entries, "-of", "csv=p=0", path]).wait()
        return result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test("thumbnail: a JPEG of the asked width at the keyframe at or before the moment, to a file or standard output")
    func thumbnail() throws {
        let fixture = try Self.fixture.get()
        let folder = Harness.temporaryFolder("thumbs")
        let early = folder + "/early.jpg"
        let made = try Harness.run(["thumbnail", fixture.video, "--at", "2.5", "-o", early, "--archive", fixture.archive])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("at 00:00:02 (keyframe), 320×180"), "\(made.stderr)")
        #expect(!FileManager.default.fileExists(atPath: early + ".tmp"))
        let late = folder + "/late.jpg"
        let streamed = try Self.piped(["thumbnail", fixture.video, "--at", "00:00:06", "-o", "-", "--archive", fixture.archive], into: late)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        for file in [early, late] {
            #expect(try Self.probe(file, "stream=codec_name,width,height") == ["mjpeg,320,180"], "\(file)")
            // Only the JPEG went to standard output: it starts and ends with the JPEG markers.
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            #expect(bytes.prefix(2) == [0xFF, 0xD8] && bytes.suffix(2) == [0xFF, 0xD9], "\(file)")
        }
        // Two moments, two pictures (testsrc2 draws the time and a moving pattern).
        #expect(try Data(contentsOf: URL(fileURLWithPath: early)) != Data(contentsOf: URL(fileURLWithPath: late)))
        let small = folder + "/small.jpg"
        let resized = try Harness.run(["thumbnail", fixture.video, "--at", "0", "--width", "96", "-o", small, "--archive", fixture.archive])
        #expect(resized.status == 0, "\(resized.stderr)")
        #expect(try Self.probe(small, "stream=width,height") == ["96,54"])
    }

    @Test("thumbnail refuses clearly: an audio-only session, a moment past the end, an unreadable segment")
    func thumbnailErrors() throws {
        let fixture = try Self.fixture.get()
        let folder = Harness.temporaryFolder("thumbs")
        let audio = try Harness.run(["thumbnail", fixture.audio, "--at", "1", "-o", folder + "/a.jpg", "--archive", fixture.archive])
        #expect(audio.status != 0)
        #expect(audio.stderr.contains("has no video") && audio.stderr.contains("audio-only"), "\(audio.stderr)")
        let late = try Harness.run(["thumbnail", fixture.video, "--at", "00:00:09", "-o", folder + "/b.jpg", "--archive", fixture.archive])
        #expect(late.status != 0)
        #expect(late.stderr.contains("is 00:00:08 long") && late.stderr.contains("beyond its end"), "\(late.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing written for a refused picture")

        // A damaged copy of the session: the segment holding the moment is garbage.
        let copy = folder + "/archive"
        try FileManager.default.copyItem(atPath: fixture.archive, toPath: copy)
        let manifest = try Archive(path: copy).loadManifest(fixture.video)
        let segment = try #require(manifest.segments.first { $0.mediaStart <= 3 && $0.mediaEnd > 3 })
        try Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            .write(to: URL(fileURLWithPath: Archive(path: copy).mediaDirectory(of: fixture.video) + "/" + segment.file))
        let damaged = try Harness.run(["thumbnail", fixture.video, "--at", "3", "-o", folder + "/c.jpg", "--archive", copy])
        #expect(damaged.status != 0)
        #expect(damaged.stderr.contains("segment \(segment.file)"), "\(damaged.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/c.jpg"))
        // A clip across it fails as clearly, and leaves no half-written file.
        let clip = try Harness.run(["clip", fixture.video, "--from", "1", "--to", "5", "-o", folder + "/c.mp4", "--archive", copy])
        #expect(clip.status != 0 && clip.stderr.contains(segment.file), "\(clip.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/c.mp4") && !FileManager.default.fileExists(atPath: folder + "/c.mp4.part"))
    }

    @Test("clip --from at a keyframe starts at that keyframe, though the file holds audio after it first")
    func clipFromAKeyframe() throws {
        let fixture = try Self.fixture.get()
        let file = Harness.temporaryFolder("clip") + "/from5.ts"
        let cut = try Harness.run(["clip", fixture.video, "--from", "5", "--to", "7", "-o", file, "--archive", fixture.archive])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("from 00:00:05 (keyframe)"), "\(cut.stderr)")
        let duration = try Harness.probeDuration(file)
        #expect(abs(duration - 2) <= 0.1, "a clip of 2 s from a keyframe lasts \(duration) s")
        let check = try Harness.decodesCleanly(file)
        #expect(check.ok, "\(check.errors)")
    }

    @Test("clip -o -: fragmented MP4 through a pipe, video and audio from zero at the keyframe, the range's length, decoding cleanly")
    func streamedClip() throws {
        let fixture = try Self.fixture.get()
        let folder = Harness.temporaryFolder("stream")
        let file = folder + "/clip.mp4"
        let cut = try Self.piped(["clip", fixture.video, "--from", "2.5", "--to", "6", "-o", "-", "--archive", fixture.archive], into: file)
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("clip of"), "the log goes to stderr: \(cut.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        // Nothing but media on standard output, and fragmented: ftyp, an empty moov, then moof+mdat pairs.
        #expect(String(decoding: bytes[4..<8], as: UTF8.self) == "ftyp")
        let text = String(decoding: bytes, as: UTF8.self)
        let moov = try #require(text.range(of: "moov")), moof = try #require(text.range(of: "moof")), mdat = try #require(text.range(of: "mdat"))
        #expect(moov.lowerBound < moof.lowerBound && moof.lowerBound < mdat.lowerBound)
        #expect(try Self.probe(file, "format=format_name").first?.contains("mov,mp4") == true)
        #expect(try Self.probe(file, "stream=codec_type") == ["video", "audio"])
        // From the keyframe at 2 s (at or before 2.5) to 6 s: 4 s, timestamps from zero.
        let duration = try Harness.probeDuration(file)
        #expect(abs(duration - 3.5) <= 1, "a clip of 3.5 s lasts \(duration) s")
        let firstVideo = Double(try Self.probe(file, "packet=pts_time", select: "v").first ?? "") ?? -1
        let firstAudio = Double(try Self.probe(file, "packet=pts_time", select: "a").first ?? "") ?? -1
        #expect(abs(firstVideo) < 0.05 && abs(firstAudio) < 0.05, "first pts: video \(firstVideo), audio \(firstAudio)")
        let check = try Harness.decodesCleanly(file)
        #expect(check.ok, "\(check.errors)")
    }

    @Test("clip -o -: an end past the session stops at its end; --format ts streams MPEG-TS")
    func streamedClipToTheEnd() throws {
        let fixture = try Self.fixture.get()
        let folder = Harness.temporaryFolder("stream")
        let file = folder + "/rest.ts"
        let cut = try Self.piped(["clip", fixture.video, "--from", "5", "--to", "01:00:00", "--format", "ts", "-o", "-",
                                  "--archive", fixture.archive], into: file)
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(try Self.probe(file, "format=format_name") == ["mpegts"])
        let duration = try Harness.probeDuration(file)
        #expect(abs(duration - 3) <= 0.5, "from 5 s to the end of 8 s lasts \(duration) s")
        let check = try Harness.decodesCleanly(file)
        #expect(check.ok, "\(check.errors)")
    }

    @Test("a session still being recorded: clip and thumbnail use what is finished")
    func recordingSession() throws {
        let fixture = try Self.fixture.get()
        let folder = Harness.temporaryFolder("live")
        let copy = folder + "/archive"
        try FileManager.default.copyItem(atPath: fixture.archive, toPath: copy)
        // As a recorder leaves it mid-segment: the last segment still open, the session locked.
        let store = Archive(path: copy)
        var manifest = try store.loadManifest(fixture.video)
        let open = manifest.segments.removeLast()
        manifest.state = .recording
        manifest.openSegment = OpenSegmentRecord(sequence: open.sequence, file: open.file, mediaStart: open.mediaStart,
                                                 wallClockStart: Date(), discontinuity: false)
        try store.saveManifest(manifest)
        let lock = try SessionLock.take(path: store.lockPath(of: fixture.video))
        defer { withExtendedLifetime(lock) {} }
        let finished = try #require(manifest.segments.last).mediaEnd

        let file = folder + "/live.mp4"
        let cut = try Self.piped(["clip", fixture.video, "--from", "0", "--to", "60", "-o", "-", "--archive", copy], into: file)
        #expect(cut.status == 0, "\(cut.stderr)")
        let duration = try Harness.probeDuration(file)
        #expect(abs(duration - finished) <= 0.5, "the finished \(finished) s became \(duration) s")
        let check = try Harness.decodesCleanly(file)
        #expect(check.ok, "\(check.errors)")

        let beyond = try Harness.run(["thumbnail", fixture.video, "--at", String(finished + 0.5), "-o", folder + "/x.jpg", "--archive", copy])
        #expect(beyond.status != 0)
        #expect(beyond.stderr.contains("still being recorded"), "\(beyond.stderr)")
        #expect(try store.loadManifest(fixture.video).state == .recording, "a locked session is not recovered")
    }
}
