import CFFmpeg
import Foundation
import SiaranCore
import Synchronization

/// libav's own log output. Silent by default (Siaran reports errors in its own words); with
/// `SIARAN_LIBAV_LOG=warning|info|debug` it goes to stderr, redacted at every level: every URL, every
/// request line's path and query, and every secret part of the sources opened by this process
/// (libav names a stream key alone: "Unexpected stream X, expecting KEY", "fname = KEY").
///
/// The forwarder (C, in CFFmpeg's shim: a Swift closure cannot take a `va_list`) reports each push
/// libav took with another application, key or path to `mismatchSink`, which counts in a public
/// Swift atomic. (The count was a C `static` in the shim, and the release build compiled the check
/// away: the optimiser took that internal global as unchanged across `avformat_open_input`, whose
/// only writer libav reaches through a function pointer, and `objdump` of `siaran-media` showed no
/// read of it at all, only the increment: an RTSP push to a wrong path was recorded. A public
/// global may be written by any code, so each read is a real one.)
public enum LibavLogging {
    /// Installs the default (quiet, from the environment) once, if nothing configured it before: the
    /// forwarder must be in place for pushes to be checked.
    static let defaultInstalled: Void = configure()

    /// How many pushes libav accepted with another application, key or path than listened for.
    static func mismatchedPushes() -> Int { mismatched.load(ordering: .sequentiallyConsistent) }

    /// Public on purpose (see above); only the forwarder adds to it.
    public static let mismatched = Atomic<Int>(0)

    /// How many times a live HLS playlist's media sequence went back (an encoder restarted); public
    /// for the same reason as `mismatched`. `InterruptControl` ends the read that sees one.
    public static let playlistRestarts = Atomic<Int>(0)

    /// Secret parts of every source opened, longest first.
    static let secrets = Mutex<[String]>([])

    /// Remembers the secret parts of `url`, so that log lines quoting them are cleaned.
    static func protect(_ url: String) {
        let found = Redaction.secrets(of: url)
        guard !found.isEmpty else { return }
        secrets.withLock { known in known = Array(Set(known + found)).sorted { $0.count > $1.count } }
    }

    /// One libav log line as Siaran prints it.
    static func clean(_ line: String) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        // Request lines and headers quote paths with their queries: "GET /live/x.m3u8?token=… HTTP/1.1".
        for index in words.indices where words[index].hasPrefix("/") {
            words[index] = String(Redaction.redact("x://h" + words[index]).dropFirst(5))
        }
        // The key a refused push named (a mistyped key is close to the real one).
        if let at = words.firstIndex(of: "stream"), at > 0, words[at - 1] == "Unexpected", at + 1 < words.count {
            words[at + 1] = Redaction.mask + (words[at + 1].hasSuffix(",") ? "," : "")
        }
        return Redaction.redactText(words.joined(separator: " "), secrets: secrets.withLock { $0 })
    }

    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let levels: [String: Int32] = ["error": AV_LOG_ERROR, "warning": AV_LOG_WARNING, "info": AV_LOG_INFO,
                                       "verbose": AV_LOG_VERBOSE, "debug": AV_LOG_DEBUG]
        if let name = environment["SIARAN_LIBAV_LOG"], let level = levels[name.lowercased()] {
            siaran_install_log_sink(redactingSink, mismatchSink, restartSink, level)
        } else {
            siaran_install_log_sink(nil, mismatchSink, restartSink, AV_LOG_QUIET)
        }
    }
}

private let mismatchSink: @convention(c) () -> Void = {
    LibavLogging.mismatched.add(1, ordering: .sequentiallyConsistent)
}

private let restartSink: @convention(c) () -> Void = {
    LibavLogging.playlistRestarts.add(1, ordering: .sequentiallyConsistent)
}

private let redactingSink: @convention(c) (Int32, UnsafePointer<CChar>?) -> Void = { _, line in
    guard let line else { return }
    StandardError.write(("libav: " + LibavLogging.clean(String(cString: line))))
}
