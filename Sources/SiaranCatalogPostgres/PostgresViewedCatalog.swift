import Foundation
import PostgresNIO
import SiaranSearch
import Synchronization

// One office's view of the shared catalog, for a server's users of that office: every read runs on a
// connection that names the office (`siaran.viewer`, set before the read when the connection's last
// view was another), so the row-level security policies decide what it sees. Only a role that sees all may narrow itself this way; a connection the policies do not bind
// (the tables' owner) is refused rather than answering with everything.
extension PostgresCatalog: ViewableSearchIndex {
    public func viewed(by office: String) -> any SearchIndex { PostgresViewedCatalog(catalog: self, viewer: office) }

    public func sessionIDs(of owner: String, viewedBy viewer: String) async throws -> Set<String> {
        try await viewing(viewer, "sessionIDs") { c in
            var ids: Set<String> = []
            for try await id in try await c.query("SELECT id FROM session WHERE office = \(owner)", logger: self.logger).decode(String.self) { ids.insert(id) }
            return ids
        }
    }

    public func offices(viewedBy viewer: String?) async throws -> [VisibleOffice] {
        func list(_ c: PostgresConnection) async throws -> [VisibleOffice] {
            var offices: [VisibleOffice] = []
            let rows = try await c.query("""
                SELECT o.name, count(*), o.media_url FROM office o JOIN session s ON s.office = o.name GROUP BY o.name, o.media_url ORDER BY o.name
                """, logger: logger)
            for try await (name, sessions, media) in rows.decode((String, Int64, String?).self) {
                offices.append(VisibleOffice(name: name, sessions: Int(sessions), mediaURL: media))
            }
            return offices
        }
        guard let viewer else { return try await read("offices") { c in try await list(c) } }
        return try await viewing(viewer, "offices") { c in try await list(c) }
    }

    /// Runs `body` with `viewer` set for the policies.
    func viewing<T: Sendable>(_ viewer: String, _ call: String, _ body: (PostgresConnection) async throws -> T) async throws(PostgresCatalogError) -> T {
        try await read(call, as: viewer, body)
    }

    /// The view `connection` (of this catalog's pool) was last given ("" for none, as a new connection has).
    func viewer(of connection: PostgresConnection) -> String { views.viewer(of: connection) }

    /// Gives `connection` the view of `viewer` (nil: none, the role's own) for the statements that
    /// follow, unless it has it already: a search costs no statement for it while a connection serves
    /// users of one office. The setting is the connection's (outside any transaction, so no rollback
    /// undoes it); until PostgreSQL confirms it the connection counts as holding an unknown view, so a
    /// failure leaves it to be set again, never trusted. Writes act as the office regardless (`write`).
    /// `views`: what the connection's pool has given its connections (nil: this catalog's pool; a
    /// replica's connections are the routing's, `PostgresReadRouting.views`).
    func view(as viewer: String?, on connection: PostgresConnection, call: String, views: ConnectionViews? = nil) async throws {
        let views = views ?? self.views
        let wanted = viewer ?? ""
        if views.viewer(of: connection) == wanted { return }
        views.set(connection, "\u{0}unknown")
        var bound = false
        let rows = try await counted("SELECT set_config('siaran.viewer', \(wanted), false), row_security_active('session')", on: connection)
        for try await (_, active) in rows.decode((String, Bool).self) { bound = active }
        guard bound || wanted.isEmpty else {
            throw PostgresCatalogError(.cannotRead, location: location, call: call, reason: """
                this connection's role is not bound by the catalog's row-level security (the tables' owner), so it cannot \
                answer as office \(wanted); connect with the role of an office that sees all \
                (siaran catalog office NAME --role ROLE --sees-all) to serve users of other offices
                """)
        }
        views.set(connection, wanted)
    }
}

/// The view (`siaran.viewer`) each connection of one pool was last given (`PostgresCatalog.view(as:on:call:views:)`).
final class ConnectionViews: Sendable {
    private let table = Mutex<[PostgresConnection.ID: ConnectionView]>([:])

    /// "" for none, as a new connection has.
    func viewer(of connection: PostgresConnection) -> String {
        table.withLock { $0[connection.id]?.viewer } ?? ""
    }

    func set(_ connection: PostgresConnection, _ viewer: String) {
        table.withLock { views in
            // Closed connections' entries go (an id is never given to another connection of the pool).
            if views.count > 32 { views = views.filter { $0.value.connection != nil } }
            views[connection.id] = ConnectionView(connection: connection, viewer: viewer)
        }
    }
}

/// The view a pooled connection holds, while it lives.
struct ConnectionView: Sendable {
    weak var connection: PostgresConnection?
    var viewer: String
}

/// A search's calls on one connection (`SearchIndex.together`): `viewer` fixed (a viewed catalog) or
/// each request's own.
struct PostgresConnectedCatalog: SearchIndex {
    let catalog: PostgresCatalog
    let connection: PostgresConnection
    let viewer: String?
    /// The views of `connection`'s pool (nil: the catalog's own; a replica's: its routing's).
    var views: ConnectionViews? = nil
    /// Marked when a call fails (a replica's search then goes to the primary, `searchTogether`).
    var failure: CallFailure? = nil
    /// A replica search's deadline: past it, calls end at once and none is sent on the closed connection.
    var expiry: Expiry? = nil

    /// The catalog's failures name the call, as `PostgresCatalog.read` does.
    private func on<T: Sendable>(_ requested: String?, _ call: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            let (catalog, connection, viewer, views) = (catalog, connection, viewer, views)
            let asked: @Sendable () async throws -> T = {
                try await catalog.view(as: viewer ?? requested, on: connection, call: call, views: views)
                return try await body()
            }
            guard let expiry else { return try await asked() }
            // A search whose replica call failed goes to the primary: nothing more is asked of the replica.
            if failure?.error != nil || connection.isClosed { throw PostgresReadRouting.DeadlinePassed() }
            return try await expiry.bound(asked)
        } catch let error as PostgresCatalogError {
            failure?.mark(error)
            throw error
        } catch {
            let failed = PostgresCatalogError(.cannotRead, location: catalog.location, call: call, underlying: error)
            failure?.mark(failed)
            throw failed
        }
    }

    func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary {
        try await on(request.viewer, "vocabulary") { try await catalog.vocabulary(request, on: connection) }
    }

    func candidates(_ request: CandidateRequest) async throws -> [CandidateList] {
        try await on(request.viewer, "search") { try await catalog.candidates(request, on: connection, viewer: viewer ?? request.viewer) }
    }

    var batchesProbes: Bool { true }

    func similarWords(to word: String, maxDistance: Int, limit: Int) async throws -> [IndexedWord] {
        try await on(nil, "similarWords") { try await catalog.similarWords(to: word, maxDistance: maxDistance, limit: limit, on: connection) }
    }

    func rows(holding word: String) async throws -> Int {
        try await on(nil, "rows") { try await catalog.rows(holding: word, on: connection) }
    }

    func knownNames(_ field: FilterField) async throws -> [KnownName] {
        try await on(nil, "knownNames") { try await catalog.knownNames(field, on: connection) }
    }

    func entryCount() async throws -> Int {
        guard let viewer else { return try await catalog.entryCount() }
        return try await catalog.viewed(by: viewer).entryCount()
    }
    func indexedSessions() async throws -> [String: IndexedState] { try await catalog.indexedSessions() }
    func replace(_ sessions: [IndexedSession], freshAfter: Date?) async throws { try await catalog.replace(sessions, freshAfter: freshAfter) }
    func remove(_ ids: [String]) async throws { try await catalog.remove(ids) }
    func lastScan() async throws -> ArchiveScan { try await catalog.lastScan() }
    func setLastScan(_ scan: ArchiveScan) async throws { try await catalog.setLastScan(scan) }
    func staleEntries() async throws -> Int { 0 }
    func needsCompaction() async throws -> Bool { false }
    func clear() async throws { try await catalog.clear() }
    func optimize() async throws { try await catalog.optimize() }
}

/// `PostgresCatalog.viewed(by:)`: reads as `viewer` sees them; the catalog's own writes unchanged.
struct PostgresViewedCatalog: SearchIndex {
    let catalog: PostgresCatalog
    let viewer: String

    func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary {
        try await catalog.searching("vocabulary", viewer: viewer) { [catalog] c in try await catalog.vocabulary(request, on: c) }
    }

    func candidates(_ request: CandidateRequest) async throws -> [CandidateList] {
        try await catalog.searching("search", viewer: viewer) { [catalog] c in try await catalog.candidates(request, on: c, viewer: viewer) }
    }

    var batchesProbes: Bool { true }

    func together<T: Sendable>(_ body: (any SearchIndex) async throws -> T) async throws -> T {
        if let routing = catalog.routing { return try await catalog.searchTogether(routing, viewer: viewer, body) }
        return try await catalog.together(viewer) { c in try await body(PostgresConnectedCatalog(catalog: catalog, connection: c, viewer: viewer)) }
    }

    func similarWords(to word: String, maxDistance: Int, limit: Int) async throws -> [IndexedWord] {
        try await catalog.searching("similarWords", viewer: viewer) { [catalog] c in try await catalog.similarWords(to: word, maxDistance: maxDistance, limit: limit, on: c) }
    }

    func rows(holding word: String) async throws -> Int {
        try await catalog.searching("rows", viewer: viewer) { [catalog] c in try await catalog.rows(holding: word, on: c) }
    }

    func knownNames(_ field: FilterField) async throws -> [KnownName] {
        try await catalog.searching("knownNames", viewer: viewer) { [catalog] c in try await catalog.knownNames(field, on: c) }
    }

    /// The rows `viewer` may see.
    func entryCount() async throws -> Int {
        try await catalog.viewing(viewer, "entryCount") { c in
            var count: Int64 = 0
            for try await n in try await c.query("SELECT count(*) FROM entry", logger: catalog.logger).decode(Int64.self) { count = n }
            return Int(count)
        }
    }

    func indexedSessions() async throws -> [String: IndexedState] { try await catalog.indexedSessions() }
    func replace(_ sessions: [IndexedSession], freshAfter: Date?) async throws { try await catalog.replace(sessions, freshAfter: freshAfter) }
    func remove(_ ids: [String]) async throws { try await catalog.remove(ids) }
    func lastScan() async throws -> ArchiveScan { try await catalog.lastScan() }
    func setLastScan(_ scan: ArchiveScan) async throws { try await catalog.setLastScan(scan) }
    func staleEntries() async throws -> Int { try await catalog.staleEntries() }
    func needsCompaction() async throws -> Bool { try await catalog.needsCompaction() }
    func clear() async throws { try await catalog.clear() }
    func optimize() async throws { try await catalog.optimize() }
}
