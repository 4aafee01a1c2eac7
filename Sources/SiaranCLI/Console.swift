import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// Where a person reads what a long command is doing: stderr. On a terminal one status line is
/// redrawn in place; otherwise status lines are printed now and then as plain log lines.
public final class Console: @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private let isTerminal: Bool
    private var statusShown = false
    private var lastPlainStatus = Date.distantPast
    /// Seconds between status lines when stderr is not a terminal.
    public var plainStatusInterval: Double = 30
    /// Prints nothing but errors.
    public var quiet = false

    public init(isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    /// A line that stays (events: connected, gap, finished…).
    public func log(_ line: String) {
        guard !quiet else { return }
        lock.withLock {
            clearStatus()
            StandardError.write((TerminalText.safe(line) + "\n"))
        }
    }

    /// A warning: always shown.
    public func warn(_ line: String) {
        lock.withLock {
            clearStatus()
            StandardError.write(("warning: " + TerminalText.safe(line) + "\n"))
        }
    }

    /// The current state in one line (replaced by the next).
    public func status(_ line: String) {
        guard !quiet else { return }
        lock.withLock {
            if isTerminal {
                StandardError.write(("\r\u{1B}[2K" + TerminalText.safe(line, keepLineBreaks: false)))
                statusShown = true
            } else if Date().timeIntervalSince(lastPlainStatus) >= plainStatusInterval {
                lastPlainStatus = Date()
                StandardError.write((TerminalText.safe(line) + "\n"))
            }
        }
    }

    /// Ends the status line so the shell prompt starts on a fresh line.
    public func finishStatus() {
        lock.withLock { clearStatus() }
    }

    private func clearStatus() {
        if statusShown {
            StandardError.write("\r\u{1B}[2K")
            statusShown = false
        }
    }
}
