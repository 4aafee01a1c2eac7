import Logging
import Synchronization

/// What a `CapturingLogHandler` was given, one message per entry, for tests that check a log.
public final class CapturedLines: Sendable {
    public let all = Mutex<[String]>([])
    public init() {}
    public var text: String { all.withLock { $0.joined(separator: "\n") } }
    public func count(_ part: String) -> Int { all.withLock { $0.filter { $0.contains(part) }.count } }
}

/// A log handler that keeps each message in `lines` (level info and up).
public struct CapturingLogHandler: LogHandler {
    public let lines: CapturedLines
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public init(lines: CapturedLines) { self.lines = lines }
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    public func log(event: LogEvent) { lines.all.withLock { $0.append(event.message.description) } }
}
