import CFFmpeg
import Foundation
import SiaranCore

/// libav's own log output. Silent by default (Siaran reports errors in its own words); with
/// `SIARAN_LIBAV_LOG=warning|info|debug` it goes to stderr, with every URL redacted.
public enum LibavLogging {
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let levels: [String: Int32] = ["error": AV_LOG_ERROR, "warning": AV_LOG_WARNING, "info": AV_LOG_INFO,
                                       "verbose": AV_LOG_VERBOSE, "debug": AV_LOG_DEBUG]
        if let name = environment["SIARAN_LIBAV_LOG"], let level = levels[name.lowercased()] {
            siaran_install_log_sink(redactingSink, level)
        } else {
            siaran_install_log_sink(nil, AV_LOG_QUIET)
        }
    }
}

private let redactingSink: @convention(c) (Int32, UnsafePointer<CChar>?) -> Void = { _, line in
    guard let line else { return }
    FileHandle.standardError.write(Data(("libav: " + Redaction.redactText(String(cString: line))).utf8))
}
