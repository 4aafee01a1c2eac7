import Foundation
import Logging
import PostgresNIO
import SiaranSearch

/// The shared catalog's schema as versioned migrations: `siaran_schema` records each version applied.
/// Unlike a machine's SQLite catalog, the shared one is not emptied when its schema changes (hundreds
/// of offices index into it): a new version is a new migration appended here, never an edited one.
/// Offices upgrade one by one, so a catalog may hold a version newer than an office's Siaran knows:
/// each applied version records the oldest version whose Siaran may go on reading and pushing
/// (`compatible_from`; an additive migration — new tables, new nullable columns — keeps older offices
/// working). A newer version that is not compatible (or says nothing) is refused before anything is
/// written, with what to do.
///
/// Every office migrates on opening, one at a time (an advisory lock held for the transaction).
enum PostgresSchema {
    /// Each migration's statements, by version (1-based).
    static let migrations: [[String]] = [first, tenancy, pushStatus, PostgresSearchSchema.searchSpeed, wordCounts, wordList]

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

    /// For each migration, the oldest version whose Siaran still reads and pushes correctly once it
    /// is applied (its own version when it is not additive).
    static let compatibleFrom: [Int] = [1, 2, 2, 2, 5, 5]

    /// Applies the migrations this database lacks, makes sure `office` has its row, and empties the
    /// office's rows when another analyzer made them (or `clearFirst`). An office's own database role
    /// cannot migrate (only the tables' owner can) and must act as its own office. Returns whether the
    /// role's own view is a part of the catalog (`PostgresCatalog.seesPart`).
    static func prepare(_ client: PostgresClient, office: String, location: String, clearFirst: Bool, logger: Logger) async throws -> Bool {
        func refuse(_ reason: String) -> PostgresCatalogError { PostgresCatalogError(.cannotOpen, location: location, call: "open", reason: reason) }
        return try await client.withTransaction(logger: logger) { connection in
            // One office at a time migrates (any fixed number names the lock).
            try await connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x5349_4152_414e)))", logger: logger)
            var exists = false
            for try await found in try await connection.query("SELECT to_regclass('siaran_schema') IS NOT NULL", logger: logger).decode(Bool.self) {
                exists = found
            }
            if !exists {
                try await connection.query("""
                    CREATE TABLE siaran_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), compatible_from integer)
                    """, logger: logger)
            }
            // `compatible_from` read whether or not the column exists (catalogs made before it).
            var applied = Set<Int>()
            var needed = 0
            let versions = try await connection.query("SELECT version, (to_jsonb(s) ->> 'compatible_from')::integer FROM siaran_schema s", logger: logger)
            for try await (number, from) in versions.decode((Int, Int?).self) {
                applied.insert(number)
                if number > version { needed = max(needed, from ?? number) }
            }
            if let newest = applied.max(), newest > version, needed > version {
                throw refuse("""
                    it was upgraded by a newer Siaran to schema v\(newest), which Siaran knowing v\(version) cannot push to safely \
                    (it needs v\(needed) or later); nothing was changed. Install the newer Siaran at this office
                    """)
            }
            let mapped = applied.contains(2) ? try await roleOffice(on: connection, logger: logger) : nil
            if mapped != nil, applied.count < version {
                throw refuse("its schema is v\(applied.max() ?? 0) and this Siaran needs v\(version); any siaran command run with the URL of its owner upgrades it")
            }
            let missing = migrations.indices.filter { !applied.contains($0 + 1) }
            if exists, !missing.isEmpty {
                try await connection.query("ALTER TABLE siaran_schema ADD COLUMN IF NOT EXISTS compatible_from integer", logger: logger)
            }
            for index in missing {
                for statement in migrations[index] { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO siaran_schema (version, compatible_from) VALUES (\(index + 1), \(compatibleFrom[index]))", logger: logger)
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
            return try await PostgresCatalog.seesPart(on: connection, logger: logger)
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
