import Foundation
import Logging
import PostgresNIO
import SiaranSearch

/// The shared catalog's schema as versioned migrations: `siaran_schema` records each version applied.
/// Unlike a machine's SQLite catalog, the shared one is not emptied when its schema changes (hundreds
/// of offices index into it): a new version is a new migration appended here, never an edited one.
/// A database holding a version newer than this Siaran knows is refused.
///
/// Every office migrates on opening, one at a time (an advisory lock held for the transaction).
enum PostgresSchema {
    /// Each migration's statements, by version (1-based).
    static let migrations: [[String]] = [first, tenancy]

    /// Version 1: sessions, entries with their tsvectors, labels, topics and token counts.
    static let first: [String] = [
        """
        CREATE TABLE office (
            name text PRIMARY KEY,
            analyzer text NOT NULL DEFAULT '',
            scan_marker text,
            scanned_at double precision NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE session (
            number bigserial PRIMARY KEY,
            office text NOT NULL DEFAULT 'local',
            id text NOT NULL,
            title text NOT NULL,
            started_at double precision NOT NULL,
            first_doc bigint NOT NULL,
            last_doc bigint NOT NULL,
            fingerprint text NOT NULL,
            indexed_at double precision NOT NULL,
            UNIQUE (office, id)
        )
        """,
        "CREATE INDEX session_started ON session (started_at)",
        """
        CREATE TABLE label (
            number bigserial PRIMARY KEY,
            kind text NOT NULL,
            name text NOT NULL COLLATE "C",
            aliases text[] NOT NULL DEFAULT '{}',
            UNIQUE (kind, name)
        )
        """,
        """
        CREATE TABLE entry (
            id bigint PRIMARY KEY,
            session bigint NOT NULL REFERENCES session (number) ON DELETE CASCADE,
            kind smallint NOT NULL,
            start double precision NOT NULL,
            text text NOT NULL COLLATE "C",
            speaker bigint,
            agenda bigint,
            tokens tsvector NOT NULL
        )
        """,
        "CREATE INDEX entry_tokens ON entry USING gin (tokens)",
        "CREATE INDEX entry_session ON entry (session)",
        "CREATE TABLE topic (session bigint NOT NULL REFERENCES session (number) ON DELETE CASCADE, stem text NOT NULL)",
        "CREATE INDEX topic_stem ON topic (stem)",
        "CREATE INDEX topic_session ON topic (session)",
        // Rows holding each exact form (exact) and each stem (not exact): IDF, did-you-mean, prefix*.
        "CREATE TABLE term (exact boolean NOT NULL, token text NOT NULL COLLATE \"C\", docs bigint NOT NULL, PRIMARY KEY (exact, token))",
        // Row ids are handed out in one increasing sequence (newest rows highest), as the SQLite
        // catalog numbers them; next_doc - 1 is the row count IDF divides by.
        "CREATE TABLE counter (single boolean PRIMARY KEY DEFAULT true CHECK (single), next_doc bigint NOT NULL)",
        "INSERT INTO counter VALUES (true, 1)",
    ]

    static var version: Int { migrations.count }

    /// Applies the migrations this database lacks, makes sure `office` has its row, and empties the
    /// office's rows when another analyzer made them (or `clearFirst`). An office's own database role
    /// cannot migrate (only the tables' owner can) and must act as its own office.
    static func prepare(_ client: PostgresClient, office: String, location: String, clearFirst: Bool, logger: Logger) async throws {
        func refuse(_ reason: String) -> PostgresCatalogError { PostgresCatalogError(.cannotOpen, location: location, call: "open", reason: reason) }
        try await client.withTransaction(logger: logger) { connection in
            // One office at a time migrates (any fixed number names the lock).
            try await connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x5349_4152_414e)))", logger: logger)
            var exists = false
            for try await found in try await connection.query("SELECT to_regclass('siaran_schema') IS NOT NULL", logger: logger).decode(Bool.self) {
                exists = found
            }
            if !exists {
                try await connection.query("CREATE TABLE siaran_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", logger: logger)
            }
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM siaran_schema", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            if let newest = applied.max(), newest > version {
                throw refuse("it was written by a newer Siaran (schema v\(newest); this one knows v\(version)); use that version")
            }
            let mapped = applied.contains(2) ? try await roleOffice(on: connection, logger: logger) : nil
            if mapped != nil, applied.count < version {
                throw refuse("its schema is v\(applied.max() ?? 0) and this Siaran needs v\(version); any siaran command run with the URL of its owner upgrades it")
            }
            for (index, statements) in migrations.enumerated() where !applied.contains(index + 1) {
                for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO siaran_schema (version) VALUES (\(index + 1))", logger: logger)
                logger.info("shared catalog schema migrated", metadata: ["version": "\(index + 1)"])
            }
            if let mapped, mapped != office {
                throw refuse("this database role is office \(mapped)'s; give --office \(mapped)")
            }
            var stored: String?
            for try await analyzer in try await connection.query("SELECT analyzer FROM office WHERE name = \(office)", logger: logger).decode(String.self) {
                stored = analyzer
            }
            if stored == nil {
                do {
                    try await connection.query("INSERT INTO office (name) VALUES (\(office)) ON CONFLICT (name) DO NOTHING", logger: logger)
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
                    throw refuse("office \(office) is not in it, and this database role may not add offices; its administrator runs siaran catalog office add \(office) --role ROLE")
                }
            }
            if stored != TextAnalyzer.version || clearFirst {
                try await PostgresCatalog.clearRows(office: office, on: connection, logger: logger)
                try await connection.query("UPDATE office SET analyzer = \(TextAnalyzer.version) WHERE name = \(office)", logger: logger)
            }
        }
    }

    /// The office whose database role this connection logged in as; nil for other roles (the owner).
    static func roleOffice(on connection: PostgresConnection, logger: Logger) async throws -> String? {
        var office: String?
        for try await name in try await connection.query("SELECT name FROM office WHERE db_role = current_user", logger: logger).decode(String.self) {
            office = name
        }
        return office
    }
}
