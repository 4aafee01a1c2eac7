import Foundation
import Logging
import PostgresNIO
import SiaranArchive
import SiaranSearch
import Synchronization

// The shared catalog as a `SearchIndex`: every call runs on a pooled connection (writes in one
// transaction), on PostgresNIO's event loops, never blocking the caller's threads.
extension PostgresCatalog: SearchIndex {
    public func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary {
        // Narrowed to one office's view for this transaction only when a viewer is named (the policies read the setting).
        try await searching("vocabulary", viewer: request.viewer) { c in try await self.vocabulary(request, on: c) }
    }

    public func candidates(_ request: CandidateRequest) async throws -> [CandidateList] {
        try await searching("search", viewer: request.viewer) { c in try await self.candidates(request, on: c, viewer: request.viewer) }
    }

    /// Over the network: a search asks everything it may need at once.
    public var batchesProbes: Bool { true }

    /// A search's questions on one connection of the primary: its view is set at most once
    /// (`view(as:on:call:)`). With a read replica, on one connection of the server the routing sends it to.
    public func together<T: Sendable>(_ body: (any SearchIndex) async throws -> T) async throws -> T {
        if let routing { return try await searchTogether(routing, viewer: nil, body) }
        return try await together(nil) { c in try await body(PostgresConnectedCatalog(catalog: self, connection: c, viewer: nil)) }
    }

    /// Runs `body` on one connection (set to `viewer`'s view first when one is named); what `body`
    /// throws (an unknown filter value, say) reaches the caller as it is.
    func together<T: Sendable>(_ viewer: String?, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let outcome: Result<T, any Error> = try await read("search", as: viewer, keepView: viewer == nil) { c in
            do { return .success(try await body(c)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    public func indexedSessions() async throws -> [String: IndexedState] {
        try await read("indexedSessions") { c in
            var found: [String: IndexedState] = [:]
            let rows = try await c.query("SELECT id, fingerprint, indexed_at FROM session WHERE office = \(self.office)", logger: self.logger)
            for try await (id, fingerprint, at) in rows.decode((String, String, Double).self) {
                found[id] = IndexedState(fingerprint: fingerprint, indexedAt: Date(timeIntervalSince1970: at))
            }
            return found
        }
    }

    public func replace(_ sessions: [IndexedSession], freshAfter: Date?) async throws {
        try await write("replace") { c in try await self.replace(sessions, freshAfter: freshAfter, on: c) }
    }

    public func remove(_ ids: [String]) async throws {
        try await write("remove") { c in try await self.delete(numbers: try await self.numbers(of: ids, on: c), on: c) }
    }

    public func lastScan() async throws -> ArchiveScan {
        try await read("lastScan") { c in
            var scan = ArchiveScan(marker: nil, at: Date(timeIntervalSince1970: 0))
            let rows = try await c.query("SELECT scan_marker, scanned_at FROM office WHERE name = \(self.office)", logger: self.logger)
            for try await (marker, at) in rows.decode((String?, Double).self) { scan = ArchiveScan(marker: marker, at: Date(timeIntervalSince1970: at)) }
            return scan
        }
    }

    public func setLastScan(_ scan: ArchiveScan) async throws {
        try await write("setLastScan") { c in
            _ = try await c.query("UPDATE office SET scan_marker = \(scan.marker), scanned_at = \(scan.at.timeIntervalSince1970) WHERE name = \(self.office)",
                                  logger: self.logger)
        }
    }

    /// Always 0: the catalog keeps every row's text and tokens, so re-indexing removes old rows exactly.
    public func staleEntries() async throws -> Int { 0 }

    public func needsCompaction() async throws -> Bool { false }

    public func clear() async throws {
        try await write("clear") { c in try await Self.clearRows(office: self.office, on: c, logger: self.logger) }
    }

    /// Refreshes the planner's statistics after a rebuild (PostgreSQL reclaims space by itself).
    public func optimize() async throws {
        try await read("optimize") { c in
            for table in ["entry", "term", "session"] { try await c.query(PostgresQuery(unsafeSQL: "ANALYZE \(table)"), logger: self.logger) }
        }
    }

    /// This office's rows.
    public func entryCount() async throws -> Int {
        try await read("entryCount") { c in
            var count: Int64 = 0
            let rows = try await c.query("SELECT count(*) FROM entry e JOIN session s ON s.number = e.session WHERE s.office = \(self.office)", logger: self.logger)
            for try await n in rows.decode(Int64.self) { count = n }
            return Int(count)
        }
    }

    public func similarWords(to word: String, maxDistance: Int, limit: Int) async throws -> [IndexedWord] {
        try await searching("similarWords", viewer: nil) { c in try await self.similarWords(to: word, maxDistance: maxDistance, limit: limit, on: c) }
    }

    public func rows(holding word: String) async throws -> Int {
        try await searching("rows", viewer: nil) { c in try await self.rows(holding: word, on: c) }
    }

    public func knownNames(_ field: FilterField) async throws -> [KnownName] {
        try await searching("knownNames", viewer: nil) { c in try await self.knownNames(field, on: c) }
    }
}

/// The shared catalog as the engine of every archive's search index: one database, this office's part.
public struct PostgresCatalogEngine: SearchIndexEngine {
    public let url: String
    public let office: String
    /// Where searches read (`--catalog-read`); nil: the primary.
    public let replica: ReadReplica?
    let logger: Logger
    /// Set by `destroy`: the next catalog opened empties this office's part first.
    private let clearOnOpen = Flag()
    /// The replica's routing, shared by every catalog this engine opens (one pool, one state).
    private let routing = RoutingBox()

    public init(url: String, office: String = PostgresCatalog.defaultOffice, logger: Logger = Logger(label: "siaran.catalog"),
                replica: ReadReplica? = nil) {
        self.url = url
        self.office = office
        self.logger = logger
        self.replica = replica
    }

    /// The archive's sessions are this office's; the archive's folder does not matter (the text travels).
    public func open(_ archive: Archive) throws -> any SearchIndex {
        try PostgresCatalog(url: url, office: office, logger: logger, clearFirst: clearOnOpen.take(), routing: try sharedRouting())
    }

    /// The routing to the replica, made on first use.
    public func sharedRouting() throws -> PostgresReadRouting? {
        guard let replica else { return nil }
        return try routing.value.withLock { made throws(PostgresCatalogError) in
            if let made { return made }
            let new = try PostgresReadRouting(replica, logger: logger)
            made = new
            return new
        }
    }

    private final class RoutingBox: Sendable {
        let value = Mutex<PostgresReadRouting?>(nil)
    }

    /// Empties this office's part of the catalog (other offices' sessions stay) when the index is next
    /// opened, before its first call: `destroy` is synchronous and called from async code (a rebuild),
    /// so it must not wait for the network. Opening a catalog of this engine always follows.
    public func destroy(_ archive: Archive) throws {
        _ = try ConnectionURL(url)
        clearOnOpen.set()
    }

    private final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        func take() -> Bool { value.withLock { let was = $0; $0 = false; return was } }
    }
}
