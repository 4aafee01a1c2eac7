import Foundation

/// How an office's last push went, as the office itself wrote it into the shared catalog at the end of
/// that push (`PushStatusRecorder`), so that the national team sees every office's, not only its own
/// archive's: when it was tried and last succeeded, why it failed, and what it had not pushed yet,
/// counted at `countedAt`. Holds no password, key or address with credentials.
public struct OfficePush: Codable, Sendable, Equatable {
    /// When the office counted what it had not pushed (the end of its last push).
    public var countedAt: Date
    /// Sessions new or changed in the office's archive and not in the catalog yet (a session being
    /// recorded is pushed every few seconds; one whose files cannot be read waits for a fix).
    public var sessionsBehind: Int
    /// The rows those sessions bring.
    public var rowsBehind: Int
    /// Sessions deleted from the office's archive that the catalog still holds.
    public var removalsBehind: Int
    /// When a push last succeeded (`countedAt` for a push that succeeded).
    public var lastSuccess: Date?
    /// When a push last failed, and why, kept after later successes (the catalog keeps the last one
    /// reported): a failure after `lastSuccess` is still unresolved.
    public var lastFailure: Date?
    public var lastError: String?
    /// The office's time zone (an IANA name), for showing its times as it reads them.
    public var zone: String?

    public init(countedAt: Date, sessionsBehind: Int, rowsBehind: Int, removalsBehind: Int, lastSuccess: Date?, lastFailure: Date?,
                lastError: String?, zone: String?) {
        self.countedAt = countedAt
        self.sessionsBehind = sessionsBehind
        self.rowsBehind = rowsBehind
        self.removalsBehind = removalsBehind
        self.lastSuccess = lastSuccess
        self.lastFailure = lastFailure
        self.lastError = lastError
        self.zone = zone
    }

    /// An office silent this long (no push reached the catalog) is flagged on the national view.
    public static let silentAfter: TimeInterval = 24 * 3600

    /// Whether the last push reported failed and nothing succeeded since.
    public var failing: Bool { lastFailure != nil && (lastSuccess.map { $0 < lastFailure! } ?? true) }

    /// Whether no push of the office has reached the catalog for `silentAfter` at `now`.
    public static func isSilent(_ push: OfficePush?, now: Date) -> Bool {
        guard let push else { return true }
        return now.timeIntervalSince(push.countedAt) > silentAfter
    }
}

/// A shared catalog an office writes its push's outcome into (only its own row; the catalog enforces it).
public protocol PushStatusRecorder: Sendable {
    func recordPush(_ push: OfficePush) async throws
}
