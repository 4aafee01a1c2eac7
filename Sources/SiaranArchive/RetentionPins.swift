import Foundation
import SiaranCore

/// Pins: a pinned session is never deleted by retention. A pin is a fact about the whole session,
/// recorded as the archive records the others (rename, trash…): a `session` event, value `pin` or
/// `unpin`, with its author, in the session's append-only `events.jsonl`; the last one wins.
extension SessionManager {
    /// Pins (or with `pinned` false unpins) session `id`. Allowed while it is being recorded (the log
    /// is append-only, as taggers write it during a recording). Pinning a pinned session writes nothing.
    public func pin(_ id: String, _ pinned: Bool = true, by author: String?, now: Date = Date()) throws {
        _ = try archive.loadManifest(id)
        guard isPinned(id) != pinned else { return }
        try log(id, pinned ? "pin" : "unpin", [:], by: author, now: now)
        archive.noteChange()
    }

    /// Whether session `id` is pinned now.
    public func isPinned(_ id: String) -> Bool {
        Self.pinned(in: EventLog(path: archive.eventsPath(of: id)).read().events)
    }

    /// Whether these events (a session's log) leave it pinned.
    public static func pinned(in events: [SessionEvent]) -> Bool {
        events.last(where: { $0.kind == .session && ($0.value == "pin" || $0.value == "unpin") })?.value == "pin"
    }
}
