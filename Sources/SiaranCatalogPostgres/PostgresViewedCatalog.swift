import Foundation
import PostgresNIO
import SiaranSearch

// One office's view of the shared catalog, for a server's users of that office: every read runs in a
// transaction that names the office (`siaran.viewer`), so the row-level security policies decide what
// it sees. Only a role that sees all may narrow itself this way; a connection the policies do not bind
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

    /// Runs `body` in a transaction with `viewer` set for the policies.
    func viewing<T: Sendable>(_ viewer: String, _ call: String, _ body: (PostgresConnection) async throws -> T) async throws(PostgresCatalogError) -> T {
        try await write(call) { c in
            try await self.bind(viewer, call, on: c)
            return try await body(c)
        }
    }

    /// Names `viewer` for the policies in `c`'s transaction (a hot standby allows it too); refuses a
    /// connection the policies do not bind.
    func bind(_ viewer: String, _ call: String, on c: PostgresConnection) async throws {
        var bound = false
        // BEGIN and COMMIT are statements too.
        sent.add(2, ordering: .relaxed)
        let rows = try await counted("SELECT set_config('siaran.viewer', \(viewer), true), row_security_active('session')", on: c)
        for try await (_, active) in rows.decode((String, Bool).self) { bound = active }
        guard bound else {
            throw PostgresCatalogError(.cannotRead, location: location, call: call, reason: """
                this connection's role is not bound by the catalog's row-level security (the tables' owner), so it cannot \
                answer as office \(viewer); connect with the role of an office that sees all \
                (siaran catalog office NAME --role ROLE --sees-all) to serve users of other offices
                """)
        }
    }
}

/// `PostgresCatalog.viewed(by:)`: reads as `viewer` sees them; the catalog's own writes unchanged.
struct PostgresViewedCatalog: SearchIndex {
    let catalog: PostgresCatalog
    let viewer: String

    func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary {
        try await catalog.searching("vocabulary", viewer: viewer) { [catalog] c in try await catalog.vocabulary(request, on: c) }
    }

    func candidates(_ request: CandidateRequest) async throws -> [CandidateList] {
        try await catalog.searching("search", viewer: viewer) { [catalog] c in try await catalog.candidates(request, on: c) }
    }

    var batchesProbes: Bool { true }

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
