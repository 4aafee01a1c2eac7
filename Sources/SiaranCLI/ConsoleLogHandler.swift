import Foundation
import Logging

/// swift-log's output on the terminal: info and notice as plain lines, warnings and worse as
/// "warning: …", debug and trace only when asked. Libraries log; only the executables pick this.
public struct ConsoleLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let console: Console

    public init(console: Console) {
        self.console = console
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let text = event.message.description
        switch event.level {
        case .trace, .debug, .info, .notice: console.log(text)
        case .warning, .error, .critical: console.warn(text)
        }
    }
}

extension Console {
    /// A logger that writes to this console.
    public func logger(label: String = "siaran") -> Logger {
        Logger(label: label) { _ in ConsoleLogHandler(console: self) }
    }
}
