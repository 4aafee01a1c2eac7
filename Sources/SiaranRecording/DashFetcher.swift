import Foundation
import Logging
import SiaranCore
import SiaranMedia

/// A live DASH stream, fetched by streamlink (Scripts/setup installs it) and served to libav on a
/// loopback HTTP port: libav 5.1's own DASH demuxer repeats live media, streamlink follows a live
/// (and low-latency) MPD correctly and writes one continuous stream. One fetcher per connection:
/// when streamlink ends (the stream ended or dropped), libav sees the end of its HTTP response and the
/// recorder reconnects as for any source, starting a new fetcher.
///
/// streamlink's arguments reach it through the environment, not its command line, so the MPD's
/// address (tokens and all) never shows in `ps`.
final class DashFetcher {

    /// Why streamlink gave no stream.
    struct Failure: Error, CustomStringConvertible {
        var source: String
        var reason: String
        var description: String { "cannot fetch the live DASH stream \(source): \(reason)" }
    }

    /// The longest streamlink may take to start its loopback server.
    static let startTimeout: Double = 30

    /// The environment variable that carries streamlink's arguments (JSON array).
    static let argumentsVariable = "SIARAN_STREAMLINK_ARGS"

    /// Runs streamlink's command line with the arguments taken from the environment.
    static let launcher = """
        import json, os, sys
        sys.argv = ["streamlink"] + json.loads(os.environ.pop("\(argumentsVariable)"))
        from streamlink_cli.main import main
        main()
        """

    /// The address libav opens: streamlink's server on 127.0.0.1.
    let address: String
    private let process: Process

    /// Starts streamlink on `manifest` and waits until it serves the stream.
    init(manifest: String, quality: QualityChoice, headers: [String], userAgent: String?, logger: Logger) throws {
        let shown = Redaction.redact(manifest)
        guard let python = Self.python() else {
            throw Failure(source: shown, reason: "it needs streamlink (Scripts/setup installs it: pip install streamlink)")
        }
        var arguments = ["--player-external-http", "--player-external-http-interface", "127.0.0.1",
                         "--player-external-http-port", "0", "--player-external-http-continuous", "no", "--loglevel", "info"]
        for header in headers {
            let parts = header.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { arguments += ["--http-header", parts[0] + "=" + parts[1]] }
        }
        if let userAgent { arguments += ["--http-header", "User-Agent=" + userAgent] }
        switch quality {
        case .best: arguments += ["--", "dash://" + manifest, "best"]
        case .worst: arguments += ["--", "dash://" + manifest, "worst"]
        case let .height(lines): arguments += ["--stream-sorting-excludes", ">\(lines)p", "--", "dash://" + manifest, "best,worst"]
        }
        let json = String(decoding: (try? JSONSerialization.data(withJSONObject: arguments)) ?? Data("[]".utf8), as: UTF8.self)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.launcher]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.argumentsVariable] = json
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(source: shown, reason: "cannot run streamlink (\(error))") }

        // streamlink logs the source's address before "Starting server, access with one of:", and
        // the loopback address on the line after it: only a line after that one is taken.
        let said = Output()
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending += chunk
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = Redaction.redactText(String(decoding: pending[..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                    logger.debug("streamlink: \(line)")
                    said.take(line)
                }
            }
            said.ended()
        }
        let answered = said.found.wait(timeout: .now() + Self.startTimeout) == .success
        guard answered, let url = said.address else {
            Self.end(process)
            let lines = said.lines
            let last = lines.last { $0.contains("error") || $0.contains("No playable") || $0.contains("Unable") }
                ?? lines.last ?? (answered ? "streamlink ended without serving it" : "no answer within \(Int(Self.startTimeout)) s")
            throw Failure(source: shown, reason: last.replacingOccurrences(of: "error: ", with: ""))
        }
        address = url
        logger.debug("streamlink serves \(shown) at \(url)")
    }

    /// Ends streamlink (it also ends by itself when libav closes its connection).
    func stop() { Self.end(process) }

    deinit { stop() }

    private static func end(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A python3 that has streamlink, when installed.
    static func python() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/streamlink") }) else { return nil }
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What streamlink said: its last lines, and the address it serves once it says so.
    private final class Output: @unchecked Sendable {
        // @unchecked: every property is read and written under `lock`.
        let found = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var recent: [String] = []
        private var announced = false
        private var served: String?

        var lines: [String] { lock.withLock { recent } }
        var address: String? { lock.withLock { served } }

        func take(_ line: String) {
            let signal: Bool = lock.withLock {
                recent.append(line)
                if recent.count > 20 { recent.removeFirst() }
                if line.contains("Starting server") { announced = true; return false }
                guard announced, served == nil, let range = line.range(of: "http://127.0.0.1:") else { return false }
                served = String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces)
                return true
            }
            if signal { found.signal() }
        }

        func ended() { found.signal() }
    }
}
