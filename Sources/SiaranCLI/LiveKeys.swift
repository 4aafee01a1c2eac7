import Foundation
import SiaranArchive
import SiaranCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Short commands typed on the recorder's terminal, each followed by Enter, tag the session without
/// stopping the recording:
///
///     3            speaker number 3 on the roster
///     s Ilham      speaker by name            a 2 / a Sambutan   agenda item
///     t hoaks      topic                      n Q&A starts        note
///     ?            this help
public final class LiveKeys: Sendable {
    private let tagger: Tagger
    private let console: Console
    /// The session keys tag and its roster: set by the recorder's thread, read by the reader thread.
    private let target = Mutex<(session: String, agenda: Agenda?)?>(nil)

    public init(tagger: Tagger, console: Console) {
        self.tagger = tagger
        self.console = console
    }

    /// Keys work only when a person is at the terminal.
    public var isAvailable: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// Starts reading commands for `session` on a thread of its own.
    public func start(session: String, agenda: Agenda?) {
        target.withLock { $0 = (session, agenda) }
        console.log("keys: type a roster number or `s NAME` for the speaker, `a N` agenda item, `t WORD` topic, `n TEXT` note, `?` help (then Enter)")
        let thread = Thread { [self] in
            while let line = readLine() { handle(line) }
        }
        thread.name = "siaran-keys"
        thread.start()
    }

    /// Stops listening (the reader thread ends with the process).
    public func stop() { target.withLock { $0 = nil } }

    /// Runs one typed command; returns what it did, for tests.
    @discardableResult
    public func handle(_ line: String) -> String? {
        guard let (session, agenda) = target.withLock({ $0 }) else { return nil }
        let text = line.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        let command = text.prefix { $0 != " " }.lowercased()
        let argument = text.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
        let request: (SessionEvent.Kind, String)?
        if let number = Int(text) {
            guard let person = agenda?.speaker(number: number) else {
                console.warn("no speaker number \(number) on the roster"); return nil
            }
            request = (.speaker, person.name)
        } else {
            switch command {
            case "s": request = (.speaker, argument)
            case "a": request = (.agenda, argument)
            case "t": request = (.topic, argument)
            case "n": request = (.note, argument)
            default:
                let roster = (agenda?.speakers ?? []).enumerated().map { "\($0.offset + 1) \($0.element.name)" }.joined(separator: " · ")
                console.log("keys: N speaker by number (\(roster.isEmpty ? "no roster" : roster)) · s NAME · a ITEM · t WORD · n TEXT")
                return nil
            }
        }
        guard let (kind, value) = request else { return nil }
        do {
            let result = try tagger.tag(session: session, kind: kind, value: value)
            for warning in result.warnings { console.warn(warning) }
            let shown = result.event.agendaNumber.map { "\($0). \(result.event.value ?? "")" } ?? result.event.value ?? ""
            let done = "tagged \(kind.rawValue): \(shown) at \(Format.clock(result.event.media ?? 0))"
            console.log(done)
            return done
        } catch {
            console.warn("\(error)")
            return nil
        }
    }
}
