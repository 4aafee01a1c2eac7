import Foundation
import PostgresNIO
import SiaranSearch

/// Where a search may look: the sessions its session, date and topic filters leave, the speaker and
/// agenda labels its name filters pick (`NameFilter`, as every engine filters), and the kinds of rows.
struct PostgresScope {
    var sessions: [Int64]?
    var speakers: [Int64]?
    var agendas: [Int64]?
    var kinds: Set<MatchKind>?
    /// The office filter, when one office is searched (no office crowding then).
    var office: String?

    /// Nil when the filters leave nothing to search.
    static func resolve(_ filters: SearchFilters, catalog: PostgresCatalog, on connection: PostgresConnection) async throws -> PostgresScope? {
        var scope = PostgresScope(kinds: filters.kinds, office: filters.office)
        if let kinds = filters.kinds, kinds.isEmpty { return nil }
        if filters.session != nil || filters.since != nil || filters.until != nil || filters.topic != nil || filters.office != nil {
            var query = PostgresQuery(unsafeSQL: "SELECT number FROM session WHERE true")
            func add(_ condition: String, _ value: some PostgresEncodable & Sendable) throws {
                try query.binds.append(value)
                query.sql += " AND " + condition.replacingOccurrences(of: "?", with: "$\(query.binds.count)")
            }
            if let id = filters.session { try add("id = ?", id) }
            if let office = filters.office { try add("office = ?", office) }
            if let since = filters.since { try add("started_at >= ?", since.timeIntervalSince1970) }
            if let until = filters.until { try add("started_at < ?", until.timeIntervalSince1970) }
            if let topic = filters.topic {
                let stems = catalog.analyzer.tokens(topic).map(\.stem)
                guard !stems.isEmpty else { return nil }
                for stem in stems { try add("number IN (SELECT session FROM topic WHERE stem = ?)", stem) }
            }
            var numbers: [Int64] = []
            for try await number in try await connection.query(query, logger: catalog.logger).decode(Int64.self) { numbers.append(number) }
            guard !numbers.isEmpty else { return nil }
            scope.sessions = numbers
        }
        for (kind, typed) in [("speaker", filters.speaker), ("agenda", filters.agenda)] {
            guard let typed else { continue }
            var numbers: [Int64] = []
            let rows = try await connection.query("SELECT number, name, aliases FROM label WHERE kind = \(kind)", logger: catalog.logger)
            for try await (number, name, aliases) in rows.decode((Int64, String, [String]).self)
            where NameFilter.matches(typed, KnownName(name: name, aliases: aliases)) { numbers.append(number) }
            guard !numbers.isEmpty else { return nil }
            if kind == "speaker" { scope.speakers = numbers } else { scope.agendas = numbers }
        }
        return scope
    }

    /// The kinds of rows to read among captions (and transcripts) or among the other rows.
    func kinds(captions: Bool) -> [Int16] {
        let group: Set<MatchKind> = captions ? [.caption, .transcript] : Set(MatchKind.allCases).subtracting([.caption, .transcript])
        return group.intersection(kinds ?? group).map { Int16($0.rawValue) }.sorted()
    }

    /// Adds the scope's conditions to a query over `entry`.
    func narrow(_ query: inout PostgresQuery) {
        for (column, values) in [("session", sessions), ("speaker", speakers), ("agenda", agendas)] {
            guard let values else { continue }
            query.binds.append(values)
            query.sql += " AND \(column) = ANY($\(query.binds.count))"
        }
    }
}
