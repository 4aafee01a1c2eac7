import Foundation
import SiaranSearch
import Synchronization

/// What an executable plugs into the command line before it runs it: the search index engine (so
/// the command line itself holds no SQL), and, in `siaran-media`, the libav side.
public enum CommandEnvironment {
    private static let engine = Mutex<(any SearchIndexEngine)?>(nil)

    /// Sets the engine behind `search`, `reindex` and every catalog refresh. Call once, first.
    public static func use(searchEngine: any SearchIndexEngine) {
        engine.withLock { $0 = searchEngine }
    }

    /// The engine set by the executable.
    public static var searchEngine: any SearchIndexEngine {
        get throws {
            guard let chosen = engine.withLock({ $0 }) else {
                throw CommandFailure("no search engine was set up (a build problem: the executable must call CommandEnvironment.use)")
            }
            return chosen
        }
    }
}
