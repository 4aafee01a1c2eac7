import Foundation

/// Shell scripts a test runs as stand-ins for Siaran's own executables.
public enum TestScript {
    /// Writes `text` at `path` as an executable script, safe to start at once from a test process
    /// whose other tests start children concurrently.
    ///
    /// A file written in this process is open for writing for a moment; a child another test forks
    /// in that moment inherits the descriptor until it execs, and starting the script then fails
    /// with ETXTBSY ("Text file busy": the scheduler's test failed so in CI). So the text is written
    /// beside it and copied into place by `install`, a child of its own: the only descriptor that
    /// ever writes the script is closed before anything starts it.
    public static func write(_ text: String, to path: String) throws {
        let source = path + ".text"
        try text.write(toFile: source, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: source) }
        let install = Process()
        install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
        install.arguments = ["-m", "755", source, path]
        let errors = Pipe()
        install.standardError = errors
        try install.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        install.waitUntilExit()
        guard install.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: String(decoding: message, as: UTF8.self)])
        }
    }
}
