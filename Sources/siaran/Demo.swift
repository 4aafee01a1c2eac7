import ArgumentParser
import Foundation
import Siaran
import SiaranArchive

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the whole story on a generated live source on loopback (no network needed).",
        discussion: "Starts `ffmpeg` as a live MPEG-TS source on 127.0.0.1, records it for a while, then shows the session."
    )

    @Option(help: "Archive folder for the demo (default: a new temporary folder).")
    var archive: String?

    @Option(help: "How long to record, in seconds.")
    var seconds: Double = 20

    func run() throws {
        guard let ffmpeg = Executable.find("ffmpeg") else {
            throw ValidationError("the demo needs the `ffmpeg` command to generate its live source; run Scripts/setup first")
        }
        let root = try archive ?? Self.temporaryFolder()
        let port = Int.random(in: 20_000..<40_000)
        let url = "tcp://127.0.0.1:\(port)"
        let source = Process()
        source.executableURL = URL(fileURLWithPath: ffmpeg)
        source.arguments = ["-hide_banner", "-loglevel", "error", "-re",
                            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
                            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                            "-c:a", "aac", "-b:a", "96k", "-f", "mpegts", url + "?listen=1"]
        source.standardInput = FileHandle.nullDevice
        try source.run()
        defer { source.terminate(); source.waitUntilExit() }
        FileHandle.standardError.write(Data("demo: a live source streams on \(url); recording \(Int(seconds)) s into \(root)\n".utf8))

        var options = RecordOptions(source: url)
        options.title = "Demo: Sosialisasi Bakohumas KPU"
        options.segmentDuration = 4
        options.wait = 15
        options.stopAfter = seconds
        var archiveOptions = ArchiveOptions()
        archiveOptions.archive = root
        let result = try runRecorder(options, archive: archiveOptions)

        var show = try Show.parse([result.sessionID, "--archive", root])
        try show.run()
        print("\nplay it with: ffplay \(Archive(path: root).playlistPath(of: result.sessionID))")
    }

    static func temporaryFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/siaran-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ValidationError("cannot create a temporary folder") }
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
