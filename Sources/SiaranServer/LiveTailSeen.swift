import Foundation
import SiaranArchive

/// What a session's event stream last saw of the unconfirmed tail of its live captions
/// (`captions/asr-live-tail.json`, `LiveCaptionTail`), so the words heard but not agreed yet reach
/// open pages as the recorder replaces them (event `tail`), and a tail that went stale (a recorder
/// killed, hung or finished) is taken off them.
struct LiveTailSeen: Sendable, Equatable {
    /// The tail file's size and time when last read (nil: there was none).
    var stamp: String?
    /// When the recorder wrote it, and whether it was current (shown) then.
    var written = 0.0
    var shown = false

    /// Looks at session `id`'s tail: what is seen now, and the words to send when that changed (an
    /// empty list when a tail shown before is gone: replaced by nothing, stale, or the recording over).
    /// A file already read is read again only when it changes; while shown, its age and the
    /// recorder's lock are checked at every look.
    static func look(archive: Archive, id: String, last: LiveTailSeen?, now: Date = Date()) -> (seen: LiveTailSeen, changed: [LiveCaptionTail.Word]?) {
        let before = last ?? LiveTailSeen()
        let gone: [LiveCaptionTail.Word]? = before.shown ? [] : nil
        guard let stamp = fileStamp(archive.liveCaptionTailPath(of: id)) else { return (LiveTailSeen(), gone) }
        if stamp == before.stamp {
            guard before.shown else { return (before, nil) }
            let current = LiveCaptionTail(written: before.written, words: []).isFresh(now: now)
                && SessionLock.isHeld(path: archive.lockPath(of: id))
            return current ? (before, nil) : (LiveTailSeen(stamp: stamp, written: before.written, shown: false), [])
        }
        guard let tail = LiveCaptionTail.current(archive: archive, id: id, now: now) else {
            return (LiveTailSeen(stamp: stamp, written: 0, shown: false), gone)
        }
        return (LiveTailSeen(stamp: stamp, written: tail.written, shown: true), tail.words)
    }
}
