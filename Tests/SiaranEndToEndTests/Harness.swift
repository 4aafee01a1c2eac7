import Foundation
import SiaranArchive
import SiaranCore
import SiaranTestSupport
import Testing

/// Runs the built `siaran` binary and real `ffmpeg`/`ffprobe` processes on loopback.
enum Harness {
    // Suites' time limits are 20 minutes: they only catch hangs. Swift Testing starts every test at
    // once and these tests block while they wait on processes, so a test's clock runs while it waits
    // for a thread: each limit is in effect a limit on the whole run (about 9 minutes on a loaded
    // 2-core machine, 287 tests; limits of 3-6 minutes failed tests that were only waiting their turn).

    /// The `siaran` executable next to the test bundle (or in the package's .build/debug).
    static let siaran: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("siaran").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent(".build/debug/siaran").path
    }()

    /// The release build's `siaran` (`swift build -c release --static-swift-stdlib`), as users run it;
    /// nil when it was not built (tests that need it are skipped, saying so).
    static let releaseSiaran: String? = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let path = root.appendingPathComponent(".build/release/siaran").path
        return FileManager.default.isExecutableFile(atPath: path + "-media") ? path : nil
    }()

    /// The output of a finished command.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String = "siaran-test") -> String { TestFolder.make(name) }

    /// A port number unlikely to be in use (each test gets its own).
    static func freePort() -> Int { TestPort.free() }

    /// Starts a process; its output goes to files so it never blocks on a full pipe.
    final class Running: @unchecked Sendable {
        let process = Process()
        let stdoutPath: String
        let stderrPath: String

        init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
            let folder = Harness.temporaryFolder("proc")
            stdoutPath = folder + "/stdout"
            stderrPath = folder + "/stderr"
            FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            var env = ProcessInfo.processInfo.environment
            // What the process leaves in its temporary folder goes with the test process's (TestFolder).
            env["TMPDIR"] = TestFolder.root
            env.merge(environment) { $1 }
            process.environment = env
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for exit (killing the process after `timeout`) and returns what it printed.
        @discardableResult
        func wait(timeout: Double = 60) -> Output {
            let end = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < end { usleep(50_000) }
            if process.isRunning {
                process.terminate()
                usleep(500_000)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            process.waitUntilExit()
            return Output(status: process.terminationStatus,
                          stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        }

        /// Stops the process (SIGTERM, then SIGKILL) without caring how it ends.
        func stop() {
            if process.isRunning { process.terminate() }
            wait(timeout: 5)
        }
    }

    /// Runs `siaran ARGS` to completion.
    static func run(_ arguments: [String], timeout: Double = 120, environment: [String: String] = [:]) throws -> Output {
        try Running(siaran, arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts `siaran ARGS` in the background.
    static func start(_ arguments: [String]) throws -> Running {
        try Running(siaran, arguments)
    }

    /// ffmpeg input arguments for a generated real-time test picture and tone, encoded H.264 + AAC
    /// with one keyframe a second.
    static let liveEncode = [
        "-hide_banner", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k",
    ]

    /// Starts a real `ffmpeg` live source writing to `output` with the given muxer.
    static func ffmpegSource(format: String, output: String, extra: [String] = []) throws -> Running {
        try Running("/usr/bin/ffmpeg", liveEncode + extra + ["-f", format, output])
    }

    /// A live MPEG-TS source on a free loopback port that waits for one client: its URL and process.
    static func tcpSource() throws -> (url: String, source: Running) {
        let url = "tcp://127.0.0.1:\(freePort())"
        return (url, try ffmpegSource(format: "mpegts", output: url + "?listen=1"))
    }

    /// A folder with `seconds` of test media imported (2-s segments) into `<folder>/archive`, for the
    /// browser suites; it requires Chromium and chromedriver first.
    static func importedForBrowser(_ name: String, seconds: Double) throws -> (folder: String, archive: String, id: String) {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                     "Chromium and chromium-driver are needed (Scripts/setup installs them)")
        let folder = temporaryFolder(name)
        let archive = folder + "/archive"
        try makeFile(folder + "/briefing.mp4", seconds: seconds)
        let imported = try run(["import", folder + "/briefing.mp4", "--archive", archive, "--segment-duration", "2"])
        try #require(imported.status == 0, "\(imported.stderr)")
        return (folder, archive, imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A restarted encoder: ffmpeg sends `seconds` of live test media to `output` (its arguments after
    /// the input), stops, and `pause` seconds later a new ffmpeg process starts again from zero.
    static func encodeRestarting(_ output: [String], seconds: Int = 8, pause: Double = 4) throws {
        for round in 0..<2 {
            if round == 1 { Thread.sleep(forTimeInterval: pause) }
            let encoder = try Running("/usr/bin/ffmpeg", liveEncode + ["-t", String(seconds)] + output).wait(timeout: 30)
            #expect(encoder.status == 0, "\(encoder.stderr)")
        }
    }

    /// Adds a web user to `archive` with the password the tests sign in with (`kata-sandi-rahasia`).
    static func addUser(_ name: String, role: String? = nil, archive: String) throws {
        let options = role.map { " --role \($0)" } ?? ""
        let added = try Running("/bin/bash", ["-c", "echo kata-sandi-rahasia | '\(siaran)' user add \(name)\(options) --password-stdin --archive '\(archive)'"]).wait()
        try #require(added.status == 0, "\(added.stderr)")
    }

    /// A live recording titled `title` of a TCP test source into `archive`, returned once it has two
    /// segments: its session's id, and the source and recorder to stop.
    static func liveRecording(into archive: String, title: String) throws -> (id: String, source: Running, recorder: Running) {
        let before = Set(Archive(path: archive).sessionIDs())
        let (url, source) = try tcpSource()
        let recorder = try start(["record", url, "--wait", "30s", "--archive", archive, "--title", title, "--segment-duration", "2", "--give-up-after", "3s"])
        let store = Archive(path: archive)
        var live = ""
        let started = waitUntil(timeout: 30) {
            live = store.sessionIDs().first { !before.contains($0) } ?? ""
            return !live.isEmpty && ((try? store.loadManifest(live).segments.count) ?? 0) >= 2
        }
        if !started {
            recorder.stop()
            source.stop()
        }
        try #require(started, "the live recording did not start: \(store.sessionIDs()) \(recorder.wait(timeout: 1).stderr)")
        return (live, source, recorder)
    }

    /// Makes a media file with `ffmpeg` (not real time).
    static func makeFile(_ path: String, seconds: Double, extra: [String] = []) throws {
        let arguments = liveEncode.filter { $0 != "-re" } + ["-t", String(seconds)] + extra + ["-y", path]
        let result = try Running("/usr/bin/ffmpeg", arguments).wait(timeout: 120)
        #expect(result.status == 0, "ffmpeg failed: \(result.stderr)")
    }

    /// Whether `path` decodes without a single error, per `ffmpeg -v error -f null`.
    static func decodesCleanly(_ path: String) throws -> (ok: Bool, errors: String) {
        let result = try Running("/usr/bin/ffmpeg", ["-hide_banner", "-v", "error", "-i", path, "-f", "null", "-"]).wait(timeout: 120)
        return (result.status == 0 && result.stderr.isEmpty, result.stderr)
    }

    /// The duration `ffprobe` reports for a file or playlist.
    static func probeDuration(_ path: String) throws -> Double {
        let result = try Running("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]).wait(timeout: 60)
        return Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The single session in `archive`, after checking there is exactly one.
    static func onlySession(in archive: String) throws -> SessionManifest {
        let store = Archive(path: archive)
        let ids = store.sessionIDs()
        #expect(ids.count == 1, "expected one session, found \(ids)")
        return try store.loadManifest(try #require(ids.first))
    }

    /// The single session in `archive`, or nil while there is none (for polling).
    static func currentSession(in archive: String) -> SessionManifest? {
        let store = Archive(path: archive)
        guard let id = store.sessionIDs().first else { return nil }
        return try? store.loadManifest(id)
    }

    /// Checks that every segment of a session decodes and that the playlist agrees with the manifest.
    static func expectPlayable(_ manifest: SessionManifest, archive: String) throws {
        let store = Archive(path: archive)
        #expect(!manifest.segments.isEmpty)
        for segment in manifest.segments {
            let media = store.mediaDirectory(of: manifest.id)
            // A CMAF media segment decodes with its init segment in front of it.
            let path = segment.initFile.map { "concat:\(media)/\($0)|\(media)/\(segment.file)" } ?? media + "/" + segment.file
            let check = try decodesCleanly(path)
            #expect(check.ok, "segment \(segment.file) does not decode cleanly: \(check.errors)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.mediaDirectory(of: manifest.id))
            .filter { $0.hasSuffix(".part") || $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "half-written files left: \(leftovers)")
        let playlist = try String(contentsOfFile: store.playlistPath(of: manifest.id), encoding: .utf8)
        #expect(playlist.contains("#EXT-X-ENDLIST"))
        #expect(playlist.components(separatedBy: "#EXTINF").count - 1 == manifest.segments.count)
        #expect(playlist.components(separatedBy: "#EXT-X-PROGRAM-DATE-TIME").count - 1 == manifest.segments.count)
    }

    /// Waits until `condition` holds or `timeout` passes.
    /// Whether something on 127.0.0.1 accepts TCP connections on `port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// What ffmpeg warns about when it reads a whole playlist back, decoding and stream-copying
    /// ("Packet corrupt", "TS discontinuity", non-monotonic timestamps…): "" for a clean archive.
    static func playlistWarnings(_ playlist: String) throws -> String {
        var warnings = ""
        for mode in [["-f", "null", "-"], ["-c", "copy", "-f", "null", "-"]] {
            let result = try Running("/usr/bin/ffmpeg", ["-hide_banner", "-nostdin", "-v", "warning", "-i", playlist] + mode).wait(timeout: 120)
            warnings += result.stderr
        }
        return warnings
    }

    static func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    /// Every byte of every file under `folder`, as text (for secret scans).
    static func allText(under folder: String) -> String {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return "" }
        var text = ""
        for case let name as String in enumerator {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }
}
