import Foundation
import SiaranArchive
import Testing

@Suite("fMP4 archives that players play", .timeLimit(.minutes(6)))
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
}
