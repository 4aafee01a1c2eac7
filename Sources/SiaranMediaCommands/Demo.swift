import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranRecording
import SiaranSearch

extension Demo: MediaRunnable {
    public func runWithMedia() throws {
        guard let ffmpeg = Executable.find("ffmpeg") else {
            throw CommandFailure("the demo needs the `ffmpeg` command to generate its live source; run Scripts/setup first")
        }
        // A taken port is said now, not after the recording (and before any URL is printed).
        if serve { try Serve.ensurePortFree(port) }
        let root = try archive ?? Self.temporaryFolder()
        let sourcePort = Int.random(in: 20_000..<40_000)
        let url = "tcp://127.0.0.1:\(sourcePort)"
        let source = Process()
        source.executableURL = URL(fileURLWithPath: ffmpeg)
        source.arguments = ["-hide_banner", "-loglevel", "error", "-re",
                            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                            "-c:a", "aac", "-b:a", "96k", "-f", "mpegts", url + "?listen=1"]
        source.standardInput = FileHandle.nullDevice
        // The source complains when the recorder hangs up at the end; that is expected, not news.
        source.standardError = FileHandle.nullDevice
        try source.run()
        defer { source.terminate(); source.waitUntilExit() }
        StandardError.write("demo: a live source streams on \(url); recording \(Int(seconds)) s into \(root)\n")

        var options = RecordOptions(source: url)
        options.title = "Demo: Sosialisasi Bakohumas KPU"
        options.segmentDuration = 4
        options.wait = 15
        options.stopAfter = seconds
        if let path = Self.exampleAgenda() { options.agenda = try AgendaFile.load(path: path) }
        var archiveOptions = ArchiveOptions()
        archiveOptions.archive = root
        let tagger = Tagger(archive: Archive(path: root))
        let seconds = self.seconds
        let result = try RecorderRun.run(options, archive: archiveOptions) { id in
            // An officer at a second terminal, tagging as the briefing goes on.
            Thread.detachNewThread { Self.tagLikeAnOfficer(tagger, session: id, seconds: seconds) }
        }

        let show = try Show.parse([result.sessionID, "--archive", root])
        try show.run()

        // The transcript arrives after the briefing; then the archive is searchable to the moment.
        if let transcript = Self.example("Examples/bakohumas-captions.vtt") {
            let store = Archive(path: root)
            let attached = try CaptionImport.attach(store, result.sessionID, file: transcript)
            let beyond = attached.beyondEnd > 0 ? " (\(attached.beyondEnd) of them after the end of this short recording)" : ""
            print("\nattached \(attached.cues) transcript cues\(beyond); searching the archive for: sosialisasi OR hoaks\n")
            let search = try Search.parse(["sosialisasi OR hoaks", "--archive", root, "--limit", "5"])
            try search.run()
            let index = try CatalogAccess.refreshed(store)
            let recorded = try store.loadManifest(result.sessionID).mediaEnd
            if let hit = try CatalogAccess.search(index, "sosialisasi OR hoaks", limit: 20).hits
                .first(where: { $0.matched == "caption" && $0.seconds < recorded }) {
                let clip = root + "/first-hit.mp4"
                let cut = try Clip.parse([hit.session, "--around", String(hit.seconds), "--before", "2", "--after", "6",
                                          "-o", clip, "--force", "--archive", root])
                try cut.run()
                print("clip of the first caption hit inside the recording (\(hit.moment), \(hit.speaker ?? "no speaker tagged")): \(clip)")
            }
        }
        print("\nplay the session with: ffplay \(Archive(path: root).playlistPath(of: result.sessionID))")
        if serve {
            try Serve.ensurePortFree(port)
            let store = Archive(path: root)
            print("\n" + DemoAccount.signInLine(try DemoAccount.makeIfNone(in: store), archive: store, port: port))
            print("the web companion: open http://127.0.0.1:\(port)/sessions/\(result.sessionID) (search: http://127.0.0.1:\(port)/search?q=hoaks); Ctrl-C stops it")
            try Serve.serveInstead(archive: root, port: port, publicViewing: true)
        }
    }

    /// The example roster of the seed event, from the checkout.
    static func exampleAgenda() -> String? { example("Examples/bakohumas-2021-09-15.yaml") }

    /// A file of the checkout's Examples folder (from the working directory or the source tree).
    static func example(_ relative: String) -> String? {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return [relative, root.appendingPathComponent(relative).path].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The demo's tags, spread over the recording like a real briefing's.
    static func tagLikeAnOfficer(_ tagger: Tagger, session: String, seconds: Double) {
        let script: [(Double, SessionEvent.Kind, String)] = [
            (0.05, .agenda, "1"), (0.05, .speaker, "Robby"),
            (0.25, .agenda, "2"), (0.25, .speaker, "Ilham Saputra"), (0.35, .topic, "bakohumas"),
            (0.55, .agenda, "3"), (0.55, .speaker, "Raka Sandi"), (0.65, .topic, "hoaks"),
            (0.8, .agenda, "5"), (0.8, .speaker, "moderator"), (0.85, .note, "Tanya jawab dimulai"),
        ]
        let start = Date()
        for (fraction, kind, value) in script {
            let due = start.addingTimeInterval(fraction * seconds)
            if due > Date() { Thread.sleep(until: due) }
            do {
                let result = try tagger.tag(session: session, kind: kind, value: value)
                StandardError.write("demo officer: tagged \(kind.rawValue) \(result.event.value ?? value)\n")
            } catch {
                StandardError.write("demo officer: could not tag \(kind.rawValue) \(value): \(error)\n")
            }
        }
    }

    static func temporaryFolder() throws -> String {
        let temporary = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((temporary + "siaran-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CommandFailure("cannot create a temporary folder: \(String(cString: strerror(errno)))") }
        return String(cString: made)
    }
}

/// Finds commands on PATH.
enum Executable {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
