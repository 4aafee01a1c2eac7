import Foundation
import SiaranArchive
import Testing

@Suite("Import and bad input", .timeLimit(.minutes(20)), .ownThreads)
struct ImportAndErrorTests {
    @Test("imports a file at full speed into a playable session")
    func importsFile() throws {
        let folder = Harness.temporaryFolder("media")
        let file = folder + "/briefing.mp4"
        try Harness.makeFile(file, seconds: 12)
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["import", file, "--archive", archive, "--segment-duration", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.kind == .imported)
        #expect(manifest.id.hasSuffix("-briefing"))
        #expect(abs(manifest.mediaDuration - 12) <= 3)
        try Harness.expectPlayable(manifest, archive: archive)
    }

    @Test("smooths over a jump in the source's timestamps")
    func timestampJump() throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/a.ts", seconds: 4)
        try Harness.makeFile(folder + "/b.ts", seconds: 4, extra: ["-output_ts_offset", "5000"])
        let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.ts"))
        let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/b.ts"))
        try (a + b).write(to: URL(fileURLWithPath: folder + "/jump.ts"))
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["import", folder + "/jump.ts", "--archive", archive, "--segment-duration", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.mediaDuration >= 7 && manifest.mediaDuration <= 9.5, "8 s of media became \(manifest.mediaDuration) s")
        for (x, y) in zip(manifest.segments, manifest.segments.dropFirst()) {
            #expect(y.mediaStart >= x.mediaStart && y.mediaStart - x.mediaStart < 5)
        }
        try Harness.expectPlayable(manifest, archive: archive)
    }

    @Test("keeps what is readable of a truncated file and says what is missing")
    func truncatedImport() throws {
        let folder = Harness.temporaryFolder("media")
        let file = folder + "/cut.ts"
        try Harness.makeFile(file, seconds: 10)
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        var damaged = data.prefix(data.count / 2)
        damaged.append(Data(repeating: 0x47, count: 5000))
        damaged.append(Data((0..<20000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        try damaged.write(to: URL(fileURLWithPath: file))
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["import", file, "--archive", archive, "--segment-duration", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.mediaDuration >= 3)
        // Everything before the damage decodes cleanly; the segment holding the cut is kept as it is
        // (its last frame is the one the truncation broke).
        let store = Archive(path: archive)
        for segment in manifest.segments.dropLast() {
            let check = try Harness.decodesCleanly(store.mediaDirectory(of: manifest.id) + "/" + segment.file)
            #expect(check.ok, "\(segment.file): \(check.errors)")
        }
        #expect(try Harness.probeDuration(store.playlistPath(of: manifest.id)) >= 3)
    }

    @Test("an unreachable source is one clear error and no session")
    func unreachable() throws {
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "tcp://127.0.0.1:\(Harness.freePort())", "--archive", archive])
        #expect(result.status != 0)
        #expect(result.stderr.contains("connection refused"), "\(result.stderr)")
        #expect(Archive(path: archive).sessionIDs().isEmpty)
        // SRT has no refusal: libsrt's bare "Input/output error" becomes what to check.
        let srt = try Harness.run(["record", "srt://127.0.0.1:\(Harness.freePort())?passphrase=rahasia-kpu-2024", "--archive", archive])
        #expect(srt.status == 1)
        #expect(srt.stderr.contains("no SRT answer") && srt.stderr.contains("passphrase"), "\(srt.stderr)")
        #expect(!srt.stderr.contains("rahasia"), "\(srt.stderr)")
    }

    @Test("a source that never starts within --wait gives up with a clear message")
    func neverStarts() throws {
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", "http://127.0.0.1:\(Harness.freePort())/live/index.m3u8?token=abc123secret",
                                      "--archive", archive, "--wait", "2"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("did not start within"), "\(result.stderr)")
        #expect(!result.stderr.contains("abc123secret"))
        #expect(result.stderr.contains("token=***"))
    }

    @Test("garbage given to import is refused clearly")
    func garbageImport() throws {
        let folder = Harness.temporaryFolder("media")
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }).write(to: URL(fileURLWithPath: folder + "/noise.mp4"))
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["import", folder + "/noise.mp4", "--archive", archive])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot open") || result.stderr.contains("no audio or video"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("an archive that cannot be written is named in the error")
    func unwritableArchive() throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/x.mp4", seconds: 2)
        let blocker = folder + "/not-a-folder"
        FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let result = try Harness.run(["import", folder + "/x.mp4", "--archive", blocker + "/sessions"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot use \(blocker)/sessions as the archive"), "\(result.stderr)")
    }

    @Test("an unknown session id is one clear error")
    func unknownSession() throws {
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["show", "no-such-session", "--archive", archive])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no session matches 'no-such-session'"), "\(result.stderr)")
    }
}

@Suite("Full disk", .timeLimit(.minutes(20)), .ownThreads)
struct FullDiskTests {
    @Test("a full disk stops the recording cleanly and keeps every finished segment",
          .enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func fullDisk() throws {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/long.ts", seconds: 30)
        let small = Harness.temporaryFolder("smalldisk")
        let mount = try Harness.Running("/bin/mount", ["-t", "tmpfs", "-o", "size=1500k", "tmpfs", small]).wait()
        try #require(mount.status == 0, "cannot mount a tmpfs: \(mount.stderr)")
        defer { _ = try? Harness.Running("/bin/umount", ["-l", small]).wait() }

        let result = try Harness.run(["import", folder + "/long.ts", "--archive", small, "--segment-duration", "2"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("the disk is full"), "\(result.stderr)")
        #expect(result.stderr.contains("finished segments"))
        #expect(!result.stderr.contains("Fatal error"))
        let manifest = try Harness.onlySession(in: small)
        #expect(manifest.state == .complete)
        #expect(manifest.stopReason?.contains("disk is full") == true)
        #expect(manifest.segments.count >= 1)
        let store = Archive(path: small)
        for segment in manifest.segments {
            let check = try Harness.decodesCleanly(store.mediaDirectory(of: manifest.id) + "/" + segment.file)
            #expect(check.ok, "\(segment.file): \(check.errors)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: store.mediaDirectory(of: manifest.id))
        #expect(!names.contains { $0.hasSuffix(".part") })
        #expect(names.filter { $0.hasSuffix(".ts") }.count == manifest.segments.count)
    }

    @Test("with --on-disk-full wait, recording pauses while the disk is full and resumes when space returns",
          .enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func resumeAfterFullDisk() throws {
        let small = Harness.temporaryFolder("smalldisk")
        let mount = try Harness.Running("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", small]).wait()
        try #require(mount.status == 0, "cannot mount a tmpfs: \(mount.stderr)")
        defer { _ = try? Harness.Running("/bin/umount", ["-l", small]).wait() }
        let ballast = small + "/ballast"
        FileManager.default.createFile(atPath: ballast, contents: Data(count: 1_700_000))

        let port = Harness.freePort()
        let url = "tcp://127.0.0.1:\(port)"
        let source = try Harness.ffmpegSource(format: "mpegts", output: url + "?listen=1")
        defer { source.stop() }
        let archive = small + "/sessions"
        let recorder = try Harness.start(["record", url, "--archive", archive, "--segment-duration", "1", "--wait", "20", "--on-disk-full", "wait"])
        #expect(Harness.waitUntil(timeout: 40) { (try? String(contentsOfFile: recorder.stderrPath, encoding: .utf8))?.contains("the disk is full") == true })
        try FileManager.default.removeItem(atPath: ballast)
        #expect(Harness.waitUntil(timeout: 30) { (Harness.currentSession(in: archive)?.gaps.count ?? 0) >= 1 })
        #expect(Harness.waitUntil(timeout: 30) { Harness.currentSession(in: archive)?.segments.contains { $0.discontinuity } == true })
        recorder.signal(SIGINT)
        let result = recorder.wait(timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.gaps.first?.reason == "the disk was full")
        #expect(manifest.segments.contains { $0.discontinuity }, "recording went on after the gap")
        try Harness.expectPlayable(manifest, archive: archive)
    }
}
