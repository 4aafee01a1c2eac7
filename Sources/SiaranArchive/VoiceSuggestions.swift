import Foundation
import Synchronization

/// Why a voice suggestion could not be confirmed or dismissed.
public enum VoiceSuggestionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No open suggestion with that id in the session's newest voice run.
    case noSuchSuggestion(String)

    public var description: String {
        switch self {
        case let .noSuchSuggestion(id):
            return "no open voice suggestion \(id) in this session (already confirmed or dismissed, or replaced by a newer run); "
                + "`siaran show SESSION --json` lists the open ones under timeline.suggestedTurns"
        }
    }
}

/// The officer's answers to a voice suggestion, written to the event log like every tag.
extension Tagger {
    /// The author of `voice` events.
    public static let voicesAuthor = "siaran-voices"

    /// Confirms suggestion `suggestion` (a `voice` event id) as `person`: the suggested person ("yes")
    /// or another ("someone else"). Writes a speaker tag at the suggestion's start whose `target` is
    /// the suggestion, so the officer's answer wins (and the next `siaran voices` learns from it).
    public func confirmSuggestion(session id: String, suggestion: String, person: String, strict: Bool = false,
                                  now: Date = Date(), author: String? = nil) throws -> (event: SessionEvent, warnings: [String]) {
        try Self.answering.withLock { _ in
            let turn = try openSuggestion(session: id, suggestion)
            let (events, _) = EventLog(path: archive.eventsPath(of: id)).read()
            let start = events.last { $0.id == suggestion }?.media ?? turn.start
            return try tag(session: id, kind: .speaker, value: person, at: start, strict: strict, now: now, author: author,
                           target: suggestion)
        }
    }

    /// Dismisses suggestion `suggestion`: a `delete` of it. The officer's tags (or nobody) stand there.
    public func dismissSuggestion(session id: String, suggestion: String, now: Date = Date(),
                                  author: String? = nil) throws -> SessionEvent {
        try Self.answering.withLock { _ in
            _ = try openSuggestion(session: id, suggestion)
            return try correct(session: id, target: suggestion, kind: .delete, now: now, author: author)
        }
    }

    /// Answers are checked (still open?) and written under this lock, so two officers answering one
    /// suggestion at once write one answer; the other is told it is answered. The server is the only
    /// writer of answers (the command line has none), so a lock within the process is enough.
    private static let answering = Mutex(())

    private func openSuggestion(session id: String, _ suggestion: String) throws -> SessionTimeline.Interval {
        guard let turn = try timeline(of: id).suggestion(suggestion) else { throw VoiceSuggestionError.noSuchSuggestion(suggestion) }
        return turn
    }
}
