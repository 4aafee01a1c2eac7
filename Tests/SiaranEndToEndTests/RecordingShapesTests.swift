import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// Other shapes of recording: fragmented MP4 (CMAF: init-K.mp4 and .m4s media segments), a source that never comes back, audio only,
/// a crash between a segment's rename and the manifest, and a report of hostile text.
@Suite("Recording shapes", .timeLimit(.minutes(20)), .ownThreads)
struct RecordingShapesTests {
    static let example: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Examples/bakohumas-2021-09-15.yaml").path
    }()

    static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// What a player opens for a segment: an fMP4 media segment (`.m4s`) together with its init segment.
    static func playable(_ segment: SegmentRecord, in media: String) -> String {
        segment.initFile.map { "concat:\(media)/\($0)|\(media)/\(segment.file)" } ?? media + "/" + segment.file
    }

    /// Checks an fMP4 session the way a player meets it: every media segment names an init segment
    /// that exists, the playlist maps each init segment before the segments that need it, and each
    /// media segment decodes cleanly after its init segment.
    static func expectPlayableFragmented(_ manifest: SessionManifest, archive: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let store = Archive(path: archive)
        let media = store.mediaDirectory(of: manifest.id)
        #expect(manifest.segmentFormat == "fmp4", sourceLocation: sourceLocation)
        #expect(!manifest.segments.isEmpty, sourceLocation: sourceLocation)
        let playlist = text(store.playlistPath(of: manifest.id))
        let lines = playlist.split(separator: "\n").map(String.init)
        #expect(lines.contains("#EXT-X-VERSION:7"), "\(playlist)", sourceLocation: sourceLocation)
        #expect(lines.last == "#EXT-X-ENDLIST", "\(playlist)", sourceLocation: sourceLocation)
        #expect(lines.filter { $0.hasPrefix("#EXTINF") }.count == manifest.segments.count, "\(playlist)", sourceLocation: sourceLocation)
        var mapped: String?
        for line in lines {
            if line.hasPrefix("#EXT-X-MAP:URI=\"") { mapped = String(line.dropFirst(16).prefix { $0 != "\"" }) }
            guard let segment = manifest.segments.first(where: { $0.file == line }) else { continue }
            #expect(mapped != nil && mapped == segment.initFile, "\(segment.file) is played with the init segment \(mapped ?? "none"), its own is \(segment.initFile ?? "none")",
                    sourceLocation: sourceLocation)
        }
        for segment in manifest.segments {
            #expect(segment.file.hasSuffix(".m4s"), "\(segment.file)", sourceLocation: sourceLocation)
            let initFile = try #require(segment.initFile, "\(segment.file) names no init segment", sourceLocation: sourceLocation)
            let initData = try Data(contentsOf: URL(fileURLWithPath: media + "/" + initFile))
            #expect(initData.count > 8 && String(decoding: initData[4..<8], as: UTF8.self) == "ftyp", "\(initFile) does not start with ftyp",
                    sourceLocation: sourceLocation)
            #expect(initData.range(of: Data("moov".utf8)) != nil && initData.range(of: Data("moof".utf8)) == nil,
                    "\(initFile) is not an init segment (moov, no fragment)", sourceLocation: sourceLocation)
            let data = try Data(contentsOf: URL(fileURLWithPath: media + "/" + segment.file))
            #expect(Int64(data.count) == segment.bytes, "\(segment.file) is \(data.count) bytes on disk, \(segment.bytes) in the manifest",
                    sourceLocation: sourceLocation)
            #expect(data.range(of: Data("moof".utf8)) != nil && data.range(of: Data("mdat".utf8)) != nil,
                    "\(segment.file) holds no fragment", sourceLocation: sourceLocation)
            let check = try Harness.decodesCleanly(playable(segment, in: media))
            #expect(check.ok, "\(segment.file) after \(initFile) does not decode cleanly: \(check.errors)", sourceLocation: sourceLocation)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: media).filter { $0.hasSuffix(".part") || $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "half-written files left: \(leftovers)", sourceLocation: sourceLocation)
    }

    @Test("records a live source as fragmented MP4: media segments with their init segment, EXT-X-MAP, playlist version 7")
    func fragmentedMP4() throws {
        let archive = Harness.temporaryFolder("archive")
        let (url, source) = try Harness.tcpSource()
        defer { source.stop() }
        let result = try Harness.run(["record", url, "--archive", archive, "--title", "fMP4", "--format", "fmp4",
                                      "--segment-duration", "2", "--stop-after", "8", "--wait", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        #expect(manifest.streams.map(\.kind) == [.video, .audio])
        #expect(manifest.segments.count >= 3, "\(manifest.segments.count) segments of an 8 s recording cut every 2 s")
        #expect(manifest.mediaDuration >= 5, "recorded only \(manifest.mediaDuration) s of an 8 s recording")
        try Self.expectPlayableFragmented(manifest, archive: archive)
        let store = Archive(path: archive)
        let names = try FileManager.default.contentsOfDirectory(atPath: store.mediaDirectory(of: manifest.id))
        #expect(!names.contains { $0.hasSuffix(".ts") }, "\(names)")
        #expect(names.filter { $0.hasSuffix(".m4s") }.count == manifest.segments.count, "\(names)")
        // One connection, one init segment.
        #expect(Set(manifest.segments.compactMap(\.initFile)).count == 1, "\(manifest.segments.map { $0.initFile ?? "nil" })")
        let probed = try Harness.probeDuration(store.playlistPath(of: manifest.id))
        #expect(abs(probed - manifest.mediaDuration) <= 2, "ffprobe reads \(probed) s of the playlist, the manifest says \(manifest.mediaDuration) s")
    }

    @Test("a source that stays gone past --give-up-after: exit status 3, the session closed with its segments and the reason")
    func givesUp() throws {
        let archive = Harness.temporaryFolder("archive")
        let (url, source) = try Harness.tcpSource()
        let recorder = try Harness.start(["record", url, "--archive", archive, "--title", "Gone", "--segment-duration", "2",
                                          "--wait", "20", "--give-up-after", "3s", "--stall-timeout", "2s"])
        defer { recorder.stop() }
        #expect(Harness.waitUntil(timeout: 30) { (Harness.currentSession(in: archive)?.segments.count ?? 0) >= 2 },
                "the recorder never finished two segments")
        source.signal(SIGKILL)
        source.wait()
        let killedAt = Date()
        let result = recorder.wait(timeout: 60)
        let took = Date().timeIntervalSince(killedAt)
        #expect(result.status == 3, "exit \(result.status): \(result.stderr)")
        // Up to the stall timeout to notice, then --give-up-after of retries; the rest is slack for a busy machine.
        #expect(took >= 2 && took <= 20, "gave up \(took) s after the source died (--give-up-after 3s)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        #expect(manifest.openSegment == nil)
        #expect(manifest.segments.count >= 2)
        #expect(manifest.stopReason?.contains("stayed unreachable") == true, "stopReason: \(manifest.stopReason ?? "none")")
        #expect(result.stdout.contains(manifest.id), "the session id is not on stdout: \(result.stdout)")
        try Harness.expectPlayable(manifest, archive: archive)
        #expect(!FileManager.default.fileExists(atPath: Archive(path: archive).lockPath(of: manifest.id)), "the lock was left behind")
    }

    @Test("records an audio-only source: only an audio stream, segments cut on time, each decodes")
    func audioOnly() throws {
        let archive = Harness.temporaryFolder("archive")
        let url = "tcp://127.0.0.1:\(Harness.freePort())"
        let source = try Harness.Running("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-re",
                                                             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                                                             "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", url + "?listen=1"])
        defer { source.stop() }
        let result = try Harness.run(["record", url, "--archive", archive, "--title", "Radio", "--segment-duration", "2",
                                      "--stop-after", "9", "--wait", "20"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Harness.onlySession(in: archive)
        #expect(manifest.state == .complete)
        #expect(manifest.streams.map(\.kind) == [.audio], "\(manifest.streams)")
        #expect(manifest.streams.first?.codec == "aac")
        #expect(manifest.streams.first?.sampleRate == 44100)
        #expect(manifest.segments.count >= 3, "\(manifest.segments.map(\.duration))")
        #expect(manifest.mediaDuration >= 6, "recorded only \(manifest.mediaDuration) s of a 9 s recording")
        // Cut on time: every segment but the last is the target length, to within a couple of AAC frames.
        for segment in manifest.segments.dropLast() {
            #expect(abs(segment.duration - 2) <= 0.1, "\(segment.file) lasts \(segment.duration) s, not ~2 s")
        }
        #expect((manifest.segments.last?.duration ?? 0) <= 2.1)
        for (a, b) in zip(manifest.segments, manifest.segments.dropFirst()) {
            #expect(abs(b.mediaStart - a.mediaEnd) <= 0.1, "\(b.file) starts at \(b.mediaStart), \(a.file) ends at \(a.mediaEnd)")
        }
        try Harness.expectPlayable(manifest, archive: archive)
        // What ffprobe finds in a segment: one audio stream, nothing else.
        let first = Archive(path: archive).mediaDirectory(of: manifest.id) + "/" + (manifest.segments.first?.file ?? "")
        let probe = try Harness.Running("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format=nb_streams:stream=codec_type",
                                                             "-of", "default=noprint_wrappers=1", first]).wait()
        #expect(probe.stdout.contains("nb_streams=1"), "\(probe.stdout)")
        #expect(Set(probe.stdout.split(separator: "\n").filter { $0.hasPrefix("codec_type=") }) == ["codec_type=audio"], "\(probe.stdout)")
    }

    /// Imports a generated 6 s file in 2 s segments, then puts its session back to the state a
    /// recorder killed between renaming its last segment and saving the manifest leaves: the
    /// segment's file is whole, the manifest names it only as `openSegment`, and the lock file is
    /// there, held by no one.
    func crashedAfterRename(format: String) throws -> (archive: String, before: SessionManifest, lost: SegmentRecord) {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/rapat.mp4", seconds: 6)
        let archive = Harness.temporaryFolder("archive")
        let imported = try Harness.run(["import", folder + "/rapat.mp4", "--archive", archive, "--format", format, "--segment-duration", "2"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let store = Archive(path: archive)
        let original = try Harness.onlySession(in: archive)
        try #require(original.segments.count >= 2, "\(original.segments)")
        var crashed = original
        let lost = crashed.segments.removeLast()
        crashed.openSegment = OpenSegmentRecord(sequence: lost.sequence, file: lost.file, mediaStart: lost.mediaStart,
                                                wallClockStart: lost.wallClockStart, discontinuity: lost.discontinuity)
        crashed.state = .recording
        crashed.stopReason = nil
        crashed.endedAt = nil
        try store.saveManifest(crashed)
        try store.savePlaylist(of: crashed, ended: false)
        try FileManager.default.createDirectory(atPath: store.locksDirectory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: store.lockPath(of: original.id), contents: nil)
        #expect(store.abandonedSessionIDs() == [original.id])
        return (archive, original, lost)
    }

    @Test("recover after a crash between a segment's rename and the manifest: the segment is back, the session interrupted")
    func recoverAfterRename() throws {
        let (archive, original, lost) = try crashedAfterRename(format: "ts")
        let store = Archive(path: archive)
        let result = try Harness.run(["recover", "--archive", archive])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("recovered session \(original.id)"), "\(result.stdout)")
        #expect(!result.stdout.contains("dropped"), "\(result.stdout)")

        let after = try store.loadManifest(original.id)
        #expect(after.state == .interrupted)
        #expect(after.openSegment == nil)
        #expect(after.stopReason?.contains("stopped unexpectedly") == true, "\(after.stopReason ?? "none")")
        // Nothing lost: every segment as it was, the last one back with its place and length.
        #expect(after.segments.map(\.file) == original.segments.map(\.file))
        #expect(Array(after.segments.dropLast()) == Array(original.segments.dropLast()))
        let back = try #require(after.segments.last)
        #expect(back.file == lost.file && back.sequence == lost.sequence && back.mediaStart == lost.mediaStart)
        #expect(back.wallClockStart == lost.wallClockStart && back.bytes == lost.bytes)
        #expect(abs(back.duration - lost.duration) <= 0.1, "\(back.file): \(back.duration) s, was \(lost.duration) s")
        #expect(abs(after.mediaDuration - original.mediaDuration) <= 0.1)
        #expect(after.endedAt.map { abs($0.timeIntervalSince(back.wallClockEnd)) < 0.01 } == true)

        let playlist = Self.text(store.playlistPath(of: original.id))
        #expect(playlist.contains(lost.file), "\(playlist)")
        #expect(playlist.hasSuffix("#EXT-X-ENDLIST\n"), "\(playlist)")
        try Harness.expectPlayable(after, archive: archive)
        #expect(!FileManager.default.fileExists(atPath: store.lockPath(of: original.id)), "the lock file is still there")
        #expect(try Harness.run(["recover", "--archive", archive]).stdout.contains("nothing to recover"))
    }

    @Test("recover after a crash between rename and manifest keeps an fMP4 media segment with its init segment")
    func recoverFragmentedAfterRename() throws {
        let (archive, original, lost) = try crashedAfterRename(format: "fmp4")
        let store = Archive(path: archive)
        let result = try Harness.run(["recover", "--archive", archive])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("recovered session \(original.id)"), "\(result.stdout)")
        let after = try store.loadManifest(original.id)
        #expect(after.state == .interrupted)
        #expect(after.openSegment == nil)
        #expect(after.segments.map(\.file) == original.segments.map(\.file))
        #expect(Array(after.segments.dropLast()) == Array(original.segments.dropLast()))
        let back = try #require(after.segments.last)
        #expect(back.bytes == lost.bytes && back.mediaStart == lost.mediaStart)
        #expect(abs(back.duration - lost.duration) <= 0.1, "\(back.file): \(back.duration) s, was \(lost.duration) s")
        #expect(back.initFile == lost.initFile, "\(back.file) is now played with \(back.initFile ?? "no init segment"), was \(lost.initFile ?? "none")")
        #expect(back.initBytes == lost.initBytes)
        try Self.expectPlayableFragmented(after, archive: archive)
        #expect(!FileManager.default.fileExists(atPath: store.lockPath(of: original.id)), "the lock file is still there")
    }

    @Test("the HTML report escapes markup, quotes and ampersands in the title, roster, agenda, topics and notes")
    func htmlReportEscapes() throws {
        let hostile = "<script>alert(1)</script> \"quotes\" & co"
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/rapat.mp4", seconds: 4)
        let agendaFile = folder + "/agenda.yaml"
        let yaml = """
        organiser: 'KPU <b>RI</b> & "Bawaslu"'
        speakers:
          - name: '<script>alert(1)</script> "Budi" & Rekan'
            role: 'Ketua <i>"sementara"</i> & moderator'
        participants:
          - name: 'Tamu <img src=x onerror=alert(2)>'
        agenda:
          - title: '<script>alert(3)</script> "Pembukaan" & sambutan'
            speakers: ['<script>alert(1)</script> "Budi" & Rekan']

        """
        try yaml.write(toFile: agendaFile, atomically: true, encoding: .utf8)
        let archive = Harness.temporaryFolder("archive")
        let imported = try Harness.run(["import", folder + "/rapat.mp4", "--archive", archive, "--title", hostile])
        try #require(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let attached = try Harness.run(["agenda", id, agendaFile, "--archive", archive])
        #expect(attached.status == 0, "\(attached.stderr)")
        for arguments in [["--speaker", "<script>alert(1)</script> \"Budi\" & Rekan", "--at", "1"], ["--agenda", "1", "--at", "1"],
                          ["--topic", hostile, "--at", "2"], ["--note", hostile, "--at", "3"]] {
            let tagged = try Harness.run(["tag", id, "--archive", archive] + arguments)
            #expect(tagged.status == 0, "\(arguments): \(tagged.stderr)")
        }

        let report = try Harness.run(["report", id, "--archive", archive, "--format", "html"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = report.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"), "raw <script> in the report")
        #expect(!html.contains("<img") && !html.contains("<b>RI") && !html.contains("<i>"), "raw markup from the agenda in the report")
        #expect(!html.contains("\"quotes\"") && !html.contains("\"Budi\"") && !html.contains("\"Pembukaan\""), "unescaped quotes")
        // Each text is there, escaped: title (in <title> and <h1>), roster name, agenda item, topic, note.
        let escapedTitle = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; co"
        #expect(html.components(separatedBy: escapedTitle).count - 1 >= 4, "title, topic and note not all shown escaped")
        #expect(html.contains("<title>\(escapedTitle)</title>"))
        #expect(html.contains("<h1>\(escapedTitle)</h1>"))
        #expect(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; &quot;Budi&quot; &amp; Rekan</td>"), "roster name not escaped in 'Who spoke'")
        #expect(html.contains("&lt;script&gt;alert(3)&lt;/script&gt; &quot;Pembukaan&quot; &amp; sambutan"), "agenda item not escaped")
        #expect(html.contains("Tamu &lt;img src=x onerror=alert(2)&gt;"), "participant not escaped")
        #expect(html.contains("KPU &lt;b&gt;RI&lt;/b&gt; &amp; &quot;Bawaslu&quot;"), "organiser not escaped")
        // No bare ampersand: every '&' starts one of the four entities the report writes.
        let stripped = ["&amp;", "&lt;", "&gt;", "&quot;"].reduce(html) { $0.replacingOccurrences(of: $1, with: "") }
        #expect(!stripped.contains("&"), "a bare & in the report")
        // Only the report's own tags remain.
        let tags = Set(html.matches(of: /<\/?([a-zA-Z0-9!]+)/).map { String($0.output.1).lowercased() })
        #expect(tags.isSubset(of: ["!doctype", "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "b", "table", "tr", "th", "td", "ul", "li"]),
                "unexpected tags: \(tags.sorted())")
    }
}
