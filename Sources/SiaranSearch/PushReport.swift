import Foundation
import Logging
import SiaranArchive
import SiaranCore
import Synchronization

/// What a push had not sent when it ended: sessions (new, changed, being recorded and pushed again
/// shortly, or unreadable until fixed) and deletions the catalog has not had.
struct PushBacklog: Sendable {
    var sessions: Set<String> = []
    var removals = 0
    /// The fingerprint of each session's files as the catalog holds them once the push ended
    /// (`PushedSessions`), nil when the push did not compare the archive with the catalog.
    var pushed: [String: String]?
}

/// What this archive's catalog rows were made from as of its last push that reached the catalog
/// (session id → fingerprint of its files), kept in `<archive>/.catalog-pushed.json` (mode 0600), so
/// that `siaran catalog status` counts what waits even when the catalog does not answer.
public enum PushedSessions {
    public static func path(in archive: Archive) -> String { archive.root + "/.catalog-pushed.json" }

    public static func load(_ archive: Archive) -> [String: String]? {
        guard let data = try? PlainFile.read(path(in: archive)) else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: data)
    }

    static func save(_ pushed: [String: String], in archive: Archive) {
        guard let data = try? JSONEncoder().encode(pushed) else { return }
        try? AtomicFile.write(data, to: path(in: archive), mode: 0o600)
    }

    /// The sessions whose files changed since (or are not in) `pushed`, the rows they bring, and the
    /// pushed sessions no longer in the archive.
    public static func waiting(_ archive: Archive, pushed: [String: String]) -> (sessions: [String], rows: Int, removals: Int) {
        let ids = archive.sessionIDs()
        let sessions = ids.filter { pushed[$0] != SessionIndexLoader.fingerprint(archive, $0) }
        return (sessions, PushReport.rows(of: sessions, in: archive), Set(pushed.keys).subtracting(ids).count)
    }
}

/// Writes an office's push outcome into the shared catalog (`OfficePush`, `PushStatusRecorder`), so
/// that the national team sees every office's: after every push that changed something, and at least
/// every `heartbeat` while nothing changes (an office that stops reporting is flagged after a day).
enum PushReport {
    static let heartbeat: TimeInterval = 600
    /// When each archive last reported (in this process).
    private static let reported = Mutex<[String: Date]>([:])

    /// Reports a push that ended at `at` (`error` nil: it succeeded), with what it had not sent
    /// (`backlog` nil: nothing changed since the last push, so nothing waits). `before`: the archive's
    /// record before this push, whose failure is reported once the catalog answers again.
    static func send(_ index: any SearchIndex, _ archive: Archive, backlog: PushBacklog?, at: Date, error: (any Error)?,
                     before: PushRecord?, logger: Logger) async {
        guard let recorder = index as? any PushStatusRecorder else { return }
        if backlog == nil, error == nil, let last = reported.withLock({ $0[archive.root] }), at.timeIntervalSince(last) < heartbeat, at >= last { return }
        let waiting = backlog ?? PushBacklog()
        let rows = rows(of: waiting.sessions, in: archive)
        var failure = error.map { (at, PushRecord.withoutPasswords(String(describing: $0))) }
        if failure == nil, let before, let attempt = before.lastAttempt, let message = before.lastError { failure = (attempt, message) }
        let push = OfficePush(countedAt: at, sessionsBehind: waiting.sessions.count, rowsBehind: rows, removalsBehind: waiting.removals,
                              lastSuccess: error == nil ? at : nil, lastFailure: failure?.0, lastError: failure?.1, zone: TimeZone.current.identifier)
        do {
            try await recorder.recordPush(push)
            reported.withLock { $0[archive.root] = at }
        } catch {
            logger.notice("could not report this push's outcome to the shared catalog: \(error)")
        }
    }

    /// The rows these sessions bring (cues and the session's own texts).
    static func rows(of sessions: some Sequence<String>, in archive: Archive) -> Int {
        sessions.reduce(0) { sum, id in
            guard let session = try? SessionIndexLoader.load(archive, id, fingerprint: SessionIndexLoader.fingerprint(archive, id)) else { return sum }
            return sum + session.entries.count + session.captions.reduce(0) { $0 + $1.cues.count }
        }
    }
}
