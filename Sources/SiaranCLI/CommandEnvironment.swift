import Foundation
import SiaranSearch
import Synchronization

/// What an executable plugs into the command line before it runs it: the search index engine (so
/// the command line itself holds no SQL), and, in `siaran-media`, the libav side.
public enum CommandEnvironment {
    private static let engine = Mutex<(any SearchIndexEngine)?>(nil)
    /// Makes the engine of a shared catalog from its URL, the office's name and the replica its searches read from.
    public typealias SharedCatalog = @Sendable (_ url: String, _ office: String, _ replica: ReadReplica?) throws -> any SearchIndexEngine
    private static let shared = Mutex<SharedCatalog?>(nil)
    private static let local = Mutex<(any SearchIndexEngine)?>(nil)

    /// Sets the engine behind `search`, `reindex` and every catalog refresh, and the shared catalog's
    /// engine that `--catalog` chooses instead. Call once, first.
    public static func use(searchEngine: any SearchIndexEngine, sharedCatalog: SharedCatalog? = nil) {
        engine.withLock { $0 = searchEngine }
        local.withLock { $0 = searchEngine }
        shared.withLock { $0 = sharedCatalog }
    }

    /// Switches to the shared catalog at `url` (`--catalog`), this archive's sessions under `office`,
    /// its searches read from `replica` (`--catalog-read`) while that answers and keeps up.
    public static func useSharedCatalog(url: String, office: String, replica: ReadReplica? = nil) throws {
        guard let make = shared.withLock({ $0 }) else {
            throw CommandFailure("this executable has no shared-catalog engine; run siaran without --catalog, or unset SIARAN_CATALOG")
        }
        let chosen = try make(url, office, replica)
        engine.withLock { $0 = chosen }
        sharedURL.withLock { $0 = url }
    }

    private static let sharedURL = Mutex<String?>(nil)

    /// The shared catalog's URL the command line switched to, if any.
    static var sharedCatalogURL: String? { sharedURL.withLock { $0 } }

    /// For an executable without a shared-catalog engine (`siaran-media`): the command is handed back
    /// to `siaran` beside it, which has one (exec: same pid, signals and exit status). Called when the
    /// command selects its catalog, before it has done anything else.
    public static let handBackToSiaran: SharedCatalog = { _, _, _ in
        try SiblingExecutable.main.exec(arguments: Array(CommandLine.arguments.dropFirst()))
    }

    /// Runs the web companion; set by `siaran-serve` (elsewhere `siaran serve` hands off to it).
    public typealias WebServer = @Sendable (ServeRequest) throws -> Void
    private static let server = Mutex<WebServer?>(nil)

    public static func use(webServer: @escaping WebServer) {
        server.withLock { $0 = webServer }
    }

    static var webServer: WebServer? { server.withLock { $0 } }

    /// Whether the command line now works with a shared catalog (`--catalog`, `$SIARAN_CATALOG` or the
    /// archive's settings).
    public static var sharedCatalogSelected: Bool { ((try? searchEngine) as? any SharedCatalogEngine) != nil }

    /// The archive's own catalog engine (kept up to date beside a shared catalog, which it stands in
    /// for while that is out of reach).
    public static var localEngine: (any SearchIndexEngine)? { local.withLock { $0 } }

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
