import Foundation
import Logging
import PostgresNIO
import SiaranArchive
import SiaranSearch
import Synchronization

/// The shared catalog: one PostgreSQL database that every office's Siaran indexes into and searches.
///
/// Each row (a caption cue, a title, an agenda item, a tag…) is one `entry` row holding its text (the
/// text travels: snippets come from the catalog, not from caption files on another office's disk) and
/// its analyzer tokens as a `tsvector` under a GIN index. The lexemes are Siaran's own (`TextAnalyzer`:
/// exact forms and stems), written as a tsvector literal, so no PostgreSQL parser or dictionary touches
/// them; the weight of each position says which: A an exact form whose stem differs, B that stem, C a
/// word that is its own stem. A query asks `'w':AC` for an exact form and `'s'` for any form with that
/// stem, as the SQLite catalog does with its marked tokens.
///
/// Scoring is `Ranking`'s, in Swift, over a capped candidate fetch: for each combination of matched
/// alternatives the newest rows (ids count up, so `ORDER BY id DESC`), as the SQLite engine reads them;
/// both engines therefore return the same hits in the same order for the same archive.
///
/// Sessions belong to an office (`office`, "local" until the command line names one): reading and
/// writing what is indexed (`indexedSessions`, `replace`, `clear`, scans) is this office's; searches
/// see every office. The schema is in `PostgresSchema.swift`, writing in `PostgresWriter.swift`,
/// searching in `PostgresSearch.swift`.
public final class PostgresCatalog: Sendable {
    /// The office sessions are indexed under when none is named.
    public static let defaultOffice = "local"

    public let office: String
    /// The connection URL without its password (for messages).
    public let location: String
    let client: PostgresClient
    let logger: Logger
    let analyzer = TextAnalyzer()
    /// Statements sent for searches (vocabulary, candidates, names, words; a viewer's transaction and
    /// setting count too): `queriesSent`.
    let sent = Atomic<Int>(0)
    /// Whether this role was found not to be granted `term_word` (said once in the log: `wordsBeginningOrEnding`).
    let wordListRefused = Atomic<Bool>(false)
    /// The office view (`siaran.viewer`) each connection was last given (`view(as:on:call:)`).
    let views = ConnectionViews()
    private let running: Task<Void, Never>
    /// Migrations and the analyzer check, run once before the first call; then whether this role's own
    /// view is a part of the catalog (an office's role that does not see all: `seesPart`).
    let ready: Task<Bool, any Error>
    /// Where searches read when a replica is given (`PostgresReadRouting`); nil: the primary.
    let routing: PostgresReadRouting?

    /// Connects to `url` (`postgres://user[:password]@host:port/database`); the schema is created or
    /// upgraded before the first call is served. `clearFirst`: empty this office's part before that
    /// (a rebuild). `routing`: searches read from its replica while it is in use.
    public init(url: String, office: String = PostgresCatalog.defaultOffice, logger: Logger = Logger(label: "siaran.catalog"),
                clearFirst: Bool = false, routing: PostgresReadRouting? = nil) throws(PostgresCatalogError) {
        let target = try ConnectionURL(url)
        self.office = office
        self.routing = routing
        self.location = target.description
        self.logger = logger
        let client = target.pool(logger: logger)
        self.client = client
        running = Task { await client.run() }
        let location = target.description
        ready = Task {
            do {
                return try await PostgresSchema.prepare(client, office: office, location: location, clearFirst: clearFirst, logger: logger)
            } catch let error as PostgresCatalogError {
                throw error
            } catch {
                throw PostgresCatalogError(.cannotOpen, location: location, call: "open", underlying: error)
            }
        }
    }

    /// How many statements this catalog has sent for searching, suggestions and names (not for
    /// writes): what tests and benchmarks count round trips with.
    public var queriesSent: Int { sent.load(ordering: .relaxed) }

    /// Sends `query` on `connection`, counted.
    func counted(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> PostgresRowSequence {
        sent.add(1, ordering: .relaxed)
        return try await connection.query(query, logger: logger)
    }

    deinit {
        running.cancel()
        ready.cancel()
    }

    /// Runs `body` on a pooled connection once the schema is ready, reading as `viewer` sees (nil: as
    /// this connection's role sees; `view(as:on:call:)`); failures name the call.
    /// `keepView`: leave the connection's view as it is (the body sets it before reading).
    func read<T: Sendable>(_ call: String, as viewer: String? = nil, keepView: Bool = false,
                           _ body: (PostgresConnection) async throws -> T) async throws(PostgresCatalogError) -> T {
        do {
            _ = try await ready.value
            return try await client.withConnection { connection in
                if !keepView { try await self.view(as: viewer, on: connection, call: call) }
                return try await body(connection)
            }
        } catch let error as PostgresCatalogError { throw error } catch {
            throw PostgresCatalogError(.cannotRead, location: location, call: call, underlying: error)
        }
    }

    /// Runs `body` in one transaction once the schema is ready.
    func write<T: Sendable>(_ call: String, _ body: (PostgresConnection) async throws -> T) async throws(PostgresCatalogError) -> T {
        do {
            _ = try await ready.value
            return try await client.withTransaction(logger: logger) { connection in
                // Writes act as this office, whatever view a search left on the connection (for this transaction).
                if self.viewer(of: connection) != "" {
                    _ = try await connection.query("SELECT set_config('siaran.viewer', '', true)", logger: self.logger)
                }
                return try await body(connection)
            }
        } catch let error as PostgresCatalogError { throw error } catch {
            throw PostgresCatalogError(.cannotWrite, location: location, call: call, underlying: error)
        }
    }
}

/// `postgres://user[:password]@host[:port]/database`, parsed.
struct ConnectionURL: CustomStringConvertible {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String

    init(_ text: String) throws(PostgresCatalogError) {
        guard let parts = URLComponents(string: text), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
              let host = parts.host, !host.isEmpty, let user = parts.user, !user.isEmpty else {
            throw PostgresCatalogError(.badURL, location: text, call: "open",
                                       reason: "expected postgres://USER@HOST:PORT/DATABASE")
        }
        self.user = user
        self.password = parts.password
        self.host = host
        self.port = parts.port ?? 5432
        let name = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        self.database = name.isEmpty ? user : name
    }

    var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
