import Foundation
import PostgresNIO
import SiaranSearch

// Offices, their database roles and what they share (`siaran catalog …`). Tenancy itself is enforced
// by the policies of `PostgresTenancySchema.swift`; this only fills the tables they read.
extension PostgresCatalog: SharedCatalogAdministration {
    public func status() async throws -> SharedCatalogStatus {
        try await read("status") { c in
            var version = 0
            for try await v in try await c.query("SELECT coalesce(max(version), 0) FROM siaran_schema", logger: self.logger).decode(Int.self) { version = v }
            var leakproof = false
            for try await flag in try await c.query("SELECT proleakproof FROM pg_proc WHERE oid = 'ts_match_vq(tsvector, tsquery)'::regprocedure",
                                                     logger: self.logger).decode(Bool.self) { leakproof = flag }
            let pushes = try await self.pushes(on: c)
            var offices: [OfficeStatus] = []
            let rows = try await c.query("""
                SELECT o.name, o.db_role, o.sees_all, o.media_url, o.scanned_at, count(s.number),
                       coalesce(sum(s.last_doc - s.first_doc + 1), 0)::bigint, max(s.started_at)
                FROM office o LEFT JOIN session s ON s.office = o.name
                GROUP BY o.name ORDER BY o.name
                """, logger: self.logger)
            for try await (name, role, seesAll, media, scanned, sessions, entries, newest)
                in rows.decode((String, String?, Bool, String?, Double, Int64, Int64, Double?).self) {
                offices.append(OfficeStatus(name: name, role: role, seesAll: seesAll, mediaURL: media, sessions: Int(sessions), rows: Int(entries),
                                            lastPush: scanned > 0 ? Date(timeIntervalSince1970: scanned) : nil,
                                            newestSession: newest.map(Date.init(timeIntervalSince1970:)), push: pushes[name]))
            }
            return SharedCatalogStatus(location: self.location, schemaVersion: version, offices: offices,
                                       actingAs: try await PostgresSchema.roleOffice(on: c, logger: self.logger), indexedTenantSearch: leakproof)
        }
    }

    public func addOffice(_ name: String, role: String?, seesAll: Bool, mediaURL: String?) async throws {
        try await write("addOffice") { c in
            var quotedRole: String?
            if let role {
                var known = false
                for try await _ in try await c.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)", logger: self.logger).decode(Int.self) { known = true }
                guard known else {
                    throw PostgresCatalogError(.cannotWrite, location: self.location, call: "addOffice",
                                               reason: "there is no database role \(role); create it first (createuser --pwprompt \(role))")
                }
                for try await quoted in try await c.query("SELECT quote_ident(\(role))", logger: self.logger).decode(String.self) { quotedRole = quoted }
            }
            try await c.query("""
                INSERT INTO office (name, db_role, sees_all, media_url) VALUES (\(name), \(role), \(seesAll), \(mediaURL))
                ON CONFLICT (name) DO UPDATE SET db_role = excluded.db_role, sees_all = excluded.sees_all,
                    media_url = coalesce(excluded.media_url, office.media_url)
                """, logger: self.logger)
            guard let quotedRole else { return }
            // What an office's role needs; the policies decide which rows.
            for statement in [
                "GRANT SELECT ON siaran_schema, office, session, entry, topic, label, term, term_word, share TO \(quotedRole)",
                "GRANT INSERT, UPDATE, DELETE ON session, entry, topic, label, term, share TO \(quotedRole)",
                "GRANT UPDATE (analyzer, scan_marker, scanned_at, numbered, media_url) ON office TO \(quotedRole)",
                "GRANT SELECT, INSERT, UPDATE ON push_status TO \(quotedRole)",
                "GRANT USAGE ON SEQUENCE session_number_seq, label_number_seq, entry_block TO \(quotedRole)",
            ] {
                try await c.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
            }
        }
    }

    public func setMediaURL(_ url: String?) async throws {
        try await write("setMediaURL") { c in
            try await c.query("UPDATE office SET media_url = \(url) WHERE name = \(self.office)", logger: self.logger)
        }
    }

    public func share(session: String, with viewer: String) async throws {
        try await write("share") { c in
            try await self.requireKnown(session: session, viewer: viewer, on: c)
            try await c.query("""
                INSERT INTO share (office, session_id, viewer) VALUES (\(self.office), \(session), \(viewer)) ON CONFLICT DO NOTHING
                """, logger: self.logger)
        }
    }

    public func unshare(session: String, with viewer: String) async throws {
        try await write("unshare") { c in
            try await c.query("DELETE FROM share WHERE office = \(self.office) AND session_id = \(session) AND viewer = \(viewer)", logger: self.logger)
        }
    }

    /// A share names a session this office has indexed (or `*`) and an office the catalog knows (or `*`).
    private func requireKnown(session: String, viewer: String, on c: PostgresConnection) async throws {
        func exists(_ query: PostgresQuery) async throws -> Bool {
            for try await _ in try await c.query(query, logger: logger).decode(Int.self) { return true }
            return false
        }
        if session != "*", !(try await exists("SELECT 1 FROM session WHERE office = \(office) AND id = \(session)")) {
            throw PostgresCatalogError(.cannotWrite, location: location, call: "share",
                                       reason: "office \(office) has no session \(session) in the catalog (siaran catalog push sends it)")
        }
        if viewer != "*", !(try await exists("SELECT 1 FROM office WHERE name = \(viewer)")) {
            throw PostgresCatalogError(.cannotWrite, location: location, call: "share",
                                       reason: "there is no office \(viewer) in the catalog (siaran catalog status lists them)")
        }
    }
}

extension PostgresCatalogEngine: SharedCatalogEngine {
    public func administration() throws -> any SharedCatalogAdministration {
        try PostgresCatalog(url: url, office: office, logger: logger)
    }
}
