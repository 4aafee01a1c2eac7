import Foundation
import SiaranArchive
import Testing

@Suite("fMP4 archives that players play", .timeLimit(.minutes(20)), .ownThreads)
struct FMP4ArchiveTests {
    @Test("--format fmp4: one init segment and media segments on one timeline, AAC with its config; read back and clipped cleanly")
    func cmafArchive() throws {
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let archive = Harness.temporaryFolder("archive")
        let result = try Harness.run(["record", url, "--archive", archive, "--format", "fmp4", "--segment-duration", "2", "--wait", "20", "--stop-after", "9"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        let media = Archive(path: archive).mediaDirectory(of: manifest.id)
        #expect(manifest.segments.count >= 4)
        #expect(manifest.segments.allSatisfy { $0.file.hasSuffix(".m4s") && $0.initFile == "init-0.mp4" })
        let playlist = try String(contentsOfFile: media + "/index.m3u8", encoding: .utf8)
        #expect(playlist.components(separatedBy: "#EXT-X-MAP:URI=\"init-0.mp4\"").count == 2, "\(playlist)")
        #expect(!playlist.contains("BYTERANGE"))
        // The timeline runs on: each segment, read with the init segment, starts where the manifest says.
        for segment in manifest.segments {
            let probe = try Harness.Running("/usr/bin/ffprobe", ["-v", "error", "-i", "concat:\(media)/init-0.mp4|\(media)/\(segment.file)",
                                                                 "-select_streams", "v", "-show_entries", "packet=pts_time", "-of", "csv=p=0"]).wait()
            let first = Double(probe.stdout.split(separator: "\n").first.map(String.init) ?? "") ?? -1
            #expect(abs(first - segment.mediaStart) < 0.05, "\(segment.file) starts at \(first) s, manifest says \(segment.mediaStart) s")
        }
        let warnings = try Harness.playlistWarnings(media + "/index.m3u8")
        #expect(warnings.isEmpty, "ffmpeg reading the fmp4 playlist back: \(warnings.prefix(600))")
        // The AAC track carries its AudioSpecificConfig: a clip to TS or MP4 has all its audio.
        for ext in ["mp4", "ts"] {
            let clip = archive + "/clip.\(ext)"
            let cut = try Harness.run(["clip", manifest.id, "--from", "3", "--to", "7", "-o", clip, "--archive", archive])
            #expect(cut.status == 0, "\(cut.stderr)")
            #expect(!cut.stderr.contains("ADTS"), "\(cut.stderr)")
            let streams = try Harness.Running("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "csv=p=0", clip]).wait()
            let audio = streams.stdout.split(separator: "\n").first { $0.hasPrefix("audio") }.flatMap { Double($0.split(separator: ",").last ?? "") } ?? 0
            #expect(audio >= 3.5, "the \(ext) clip holds \(audio) s of audio of 4 s: \(streams.stdout)")
            let check = try Harness.decodesCleanly(clip)
            #expect(check.ok, "\(check.errors)")
        }
    }

    @Test("HEVC in fMP4 is tagged hvc1 with its parameter sets in the init segment (Apple's HLS rules); TS archives are unchanged")
    func hevcIsHvc1() throws {
        let folder = Harness.temporaryFolder("hevc")
        let source = folder + "/hevc.ts"
        let encode = try Harness.Running("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                                                             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "6",
                                                             "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=25:log-level=error",
                                                             "-c:a", "aac", "-y", source]).wait(timeout: 120)
        try #require(encode.status == 0, "libx265: \(encode.stderr)")
        for format in ["fmp4", "ts"] {
            let archive = folder + "/" + format
            let imported = try Harness.run(["import", source, "--archive", archive, "--format", format, "--segment-duration", "2"])
            try #require(imported.status == 0, "\(imported.stderr)")
            let manifest = try Harness.onlySession(in: archive)
            let media = Archive(path: archive).mediaDirectory(of: manifest.id)
            let first = format == "fmp4" ? media + "/init-0.mp4" : media + "/" + manifest.segments[0].file
            let probe = try Harness.Running("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name,codec_tag_string",
                                                                 "-of", "csv=p=0", first]).wait()
            if format == "fmp4" {
                #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "hevc,hvc1", "\(probe.stdout) \(probe.stderr)")
                let initBytes = try Data(contentsOf: URL(fileURLWithPath: first))
                #expect(initBytes.range(of: Data("hvcC".utf8)) != nil && initBytes.range(of: Data("hev1".utf8)) == nil)
            } else {
                #expect(probe.stdout.hasPrefix("hevc"), "\(probe.stdout)")
            }
            let warnings = try Harness.playlistWarnings(media + "/index.m3u8")
            #expect(warnings.isEmpty, "ffmpeg reading the \(format) HEVC playlist back: \(warnings.prefix(600))")
        }
    }
}
