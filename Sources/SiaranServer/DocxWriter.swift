import Foundation
import SiaranArchive
import SiaranCore
import Synchronization

/// Writes `WordDocument`s as DOCX files through python-docx (Debian's `python3-docx`), run as a
/// child process with the script compiled into the server (`Web/tools/docx-writer.py`): the
/// document goes in as a JSON file, the DOCX comes back as a file, both in the archive's cache and
/// removed after. A missing python-docx is a clear 503 that says what to install.
final class DocxWriter: Sendable {
    /// The Python interpreters tried in turn: `SIARAN_PYTHON` when set, else Debian's own (where
    /// `python3-docx` installs), then any `python3` on the PATH.
    let interpreters: [String]
    let cache: String
    let timeout: TimeInterval
    /// The first interpreter that had python-docx, once one has.
    private let found = Mutex<String?>(nil)
    /// At most two writers at once (each a Python process of ~30 MB for about a second); the rest wait.
    private let slots = JobSlots(count: 2)

    static let script = WebAssets.text("tools/docx-writer.py")

    init(archive: Archive, interpreters: [String]? = nil, timeout: TimeInterval = 60) {
        self.interpreters = interpreters ?? ProcessInfo.processInfo.environment["SIARAN_PYTHON"].map { [$0] }
            ?? ["/usr/bin/python3", "/usr/local/bin/python3"] + Self.onPath("python3")
        cache = archive.root + "/.cache/docx"
        self.timeout = timeout
    }

    static func onPath(_ name: String) -> [String] {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
    }

    /// The document as DOCX bytes.
    func write(_ document: WordDocument) async throws -> Data {
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let name = cache + "/" + UUID().uuidString
        let input = name + ".json", output = name + ".docx"
        defer { unlink(input); unlink(output) }
        try AtomicFile.write(try JSONEncoder().encode(document), to: input)
        let candidates = found.withLock { $0 }.map { [$0] } ?? interpreters.filter { FileManager.default.isExecutableFile(atPath: $0) }
        for interpreter in candidates {
            let (status, message) = try await slots.withSlot { try await self.run(interpreter, [input, output]) }
            if status == 3 { continue }  // this python has no python-docx: the next may
            guard status == 0, let data = try PlainFile.read(output), !data.isEmpty else {
                throw APIError(.internalServerError, key: "error.docx.failed", ["reason": message.isEmpty ? "exit \(status)" : message])
            }
            found.withLock { $0 = interpreter }
            return data
        }
        throw APIError(.serviceUnavailable, key: "error.docx.missing")
    }

    /// Runs the writer with `interpreter`: its exit status and last error line.
    private func run(_ interpreter: String, _ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-I", "-c", Self.script] + arguments
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let timeout = timeout
        return try await Task.detached {
            try process.run()
            let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
            // Bounded: a writer that prints more than this is cut (the pipe is drained to its end).
            var message = Data()
            while true {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                if message.count < 16 * 1024 { message += chunk }
            }
            process.waitUntilExit()
            watchdog.cancel()
            let last = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            return (process.terminationStatus, TerminalText.safe(last, keepLineBreaks: false))
        }.value
    }
}
