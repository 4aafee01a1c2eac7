import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the offline engines are installed (`Scripts/setup-speech`): under `$SIARAN_SPEECH_HOME`
/// (default `~/.local/share/siaran/speech`), the venv's Python and the worker scripts in `bin/`.
/// Speech-to-text and voices find their worker and model here (SpeechEngine, VoiceEngine).
struct SpeechInstallation {
    var home: String
    var python: String
    var worker: String

    /// The installation's folders, with the worker `bin/NAME` (or the file `$OVERRIDE` names).
    /// Nil when the Python or the worker is missing: the caller says what to run.
    static func locate(worker name: String, override: String, environment: [String: String]) -> (home: String, found: SpeechInstallation?) {
        let home = environment["SIARAN_SPEECH_HOME"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/siaran/speech")
        let python = home + "/venv/bin/python"
        let worker = environment[override] ?? home + "/bin/" + name
        let files = FileManager.default
        guard files.isExecutableFile(atPath: python), files.fileExists(atPath: worker) else { return (home, nil) }
        return (home, SpeechInstallation(home: home, python: python, worker: worker))
    }
}

/// A worker of the offline engines (`Scripts/siaran-asr-worker`, `Scripts/siaran-voice-worker`) as a
/// child process: started at nice 10 (below the recorder and the shell, it waits for CPU nobody else
/// needs), 16 kHz PCM or requests written to its standard input, JSON lines read from its standard
/// output. Its standard error is kept (the last 8 KB) on a thread of its own so the worker never
/// blocks on a full pipe; so is its standard output unless `streaming`, where the caller reads it
/// line by line (`nextObject`) while the worker runs.
final class WorkerChild {
    /// The worker stopped reading its input, or could not be started.
    struct Gone: Error {}

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let collected = Collected()
    private let streaming: Bool
    private var pending = Data()

    private final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var stdout = Data()
        var stderr = Data()
        let done = DispatchGroup()
    }

    /// Starts `python script arguments…` with `$SIARAN_SPEECH_HOME` set to `home` and `environment` added.
    init(python: String, script: String, arguments: [String], home: String, environment extra: [String: String] = [:],
         streaming: Bool = false) throws {
        self.streaming = streaming
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SIARAN_SPEECH_HOME"] = home
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), 10)
        let collected = self.collected
        for (pipe, isOut) in [(output, true), (errors, false)] where !(isOut && streaming) {
            collected.done.enter()
            let handle = pipe.fileHandleForReading
            Thread.detachNewThread {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    collected.lock.lock()
                    if isOut { collected.stdout.append(data) } else { collected.stderr = (collected.stderr + data).suffix(8192) }
                    collected.lock.unlock()
                }
                collected.done.leave()
            }
        }
    }

    var isRunning: Bool { process.isRunning }
    var terminationStatus: Int32 { process.terminationStatus }

    /// Writes `samples` (16-bit PCM) to the worker; throws `Gone` when it has stopped reading.
    func send(_ samples: [Int16]) throws {
        try samples.withUnsafeBytes { try write($0) }
    }

    /// Writes `data` to the worker; throws `Gone` when it has stopped reading.
    func send(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    private func write(_ raw: UnsafeRawBufferPointer) throws {
        let fd = input.fileHandleForWriting.fileDescriptor
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Gone() }
            offset += n
        }
    }

    /// The next JSON object on the worker's standard output (`streaming` only), or nil at its end.
    func nextObject() -> [String: Any]? {
        let reader = output.fileHandleForReading
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] { return object }
                continue
            }
            let more = reader.availableData
            if more.isEmpty { return nil }
            pending.append(more)
        }
    }

    /// Ends the input and waits for the worker (up to `grace` seconds, then it is terminated) and its output.
    /// Returns its exit status.
    @discardableResult
    func finish(grace: Double? = nil) -> Int32 {
        try? input.fileHandleForWriting.close()
        if let grace, process.isRunning {
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
        collected.done.wait()
        return process.terminationStatus
    }

    /// Stops the worker at once (the audio could not be read, or the caller gave up).
    func abandon() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The worker's JSON lines as objects (collected output, after `finish`).
    func lines() -> [[String: Any]] {
        collected.lock.lock()
        defer { collected.lock.unlock() }
        return collected.stdout.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    /// The worker's raw JSON lines (collected output, after `finish`).
    func rawLines() -> [Data] {
        collected.lock.lock()
        defer { collected.lock.unlock() }
        return collected.stdout.split(separator: 0x0A).map { Data($0) }
    }

    /// The worker's own error message once it has stopped reading: given up to 2 s to exit and be read.
    func failureAfterStop() -> String? {
        _ = collected.done.wait(timeout: .now() + 2)
        return failure()
    }

    /// The worker's own error message: its last `error` line, or the end of its standard error.
    func failure() -> String? {
        if !streaming, let error = lines().last(where: { $0["type"] as? String == "error" }) { return error["message"] as? String }
        collected.lock.lock()
        defer { collected.lock.unlock() }
        let text = String(decoding: collected.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.suffix(400))
    }
}
