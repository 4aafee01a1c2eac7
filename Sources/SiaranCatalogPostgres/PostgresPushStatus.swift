import Foundation
import PostgresNIO
import SiaranSearch

// Schema version 3: each office's last push as the office wrote it (`OfficePush`), one row per office.
// An office's role writes only its own row and reads only it; a role whose office sees all (the
// national team) reads every office's, whatever view it narrowed itself to. Additive: older offices
// keep pushing (they write no row, and are shown as never having reported).
extension PostgresSchema {
    static let pushStatus: [String] = [
        """
        CREATE TABLE push_status (
            office text PRIMARY KEY REFERENCES office (name) ON DELETE CASCADE,
            counted_at double precision NOT NULL,
            sessions_behind integer NOT NULL CHECK (sessions_behind >= 0),
            rows_behind bigint NOT NULL CHECK (rows_behind >= 0),
            removals_behind integer NOT NULL CHECK (removals_behind >= 0),
            last_success double precision,
            last_failure double precision,
            last_error text CHECK (length(last_error) <= 2000),
            zone text CHECK (length(zone) <= 64)
        )
        """,
        "ALTER TABLE push_status ENABLE ROW LEVEL SECURITY",
        """
        CREATE POLICY push_status_read ON push_status FOR SELECT USING (office = (SELECT siaran_role_office())
            OR EXISTS (SELECT 1 FROM office o WHERE o.db_role = current_user AND o.sees_all))
        """,
        "CREATE POLICY push_status_insert ON push_status FOR INSERT WITH CHECK (office = (SELECT siaran_role_office()))",
        """
        CREATE POLICY push_status_update ON push_status FOR UPDATE USING (office = (SELECT siaran_role_office()))
            WITH CHECK (office = (SELECT siaran_role_office()))
        """,
        // Offices added before this version get what `addOffice` grants new ones.
        """
        DO $$ DECLARE r text; BEGIN
            FOR r IN SELECT db_role FROM office WHERE db_role IS NOT NULL AND db_role IN (SELECT rolname FROM pg_roles) LOOP
                EXECUTE format('GRANT SELECT, INSERT, UPDATE ON push_status TO %I', r);
            END LOOP;
        END $$
        """,
    ]
}

extension PostgresCatalog: PushStatusRecorder {
    /// Writes this office's push outcome (its row only: the policies refuse another office's); a push
    /// that reports no success or failure keeps the ones reported before.
    public func recordPush(_ push: OfficePush) async throws {
        try await write("recordPush") { c in
            try await c.query("""
                INSERT INTO push_status (office, counted_at, sessions_behind, rows_behind, removals_behind, last_success, last_failure, last_error, zone)
                VALUES (\(self.office), \(push.countedAt.timeIntervalSince1970), \(push.sessionsBehind), \(Int64(push.rowsBehind)),
                        \(push.removalsBehind), \(push.lastSuccess?.timeIntervalSince1970), \(push.lastFailure?.timeIntervalSince1970),
                        \(push.lastError.map { String($0.prefix(2000)) }), \(push.zone.map { String($0.prefix(64)) }))
                ON CONFLICT (office) DO UPDATE SET counted_at = excluded.counted_at, sessions_behind = excluded.sessions_behind,
                    rows_behind = excluded.rows_behind, removals_behind = excluded.removals_behind,
                    last_success = coalesce(excluded.last_success, push_status.last_success),
                    last_failure = coalesce(excluded.last_failure, push_status.last_failure),
                    last_error = CASE WHEN excluded.last_failure IS NULL THEN push_status.last_error ELSE excluded.last_error END, zone = excluded.zone
                """, logger: self.logger)
        }
    }

    /// Every office's push outcome this connection may read, by office.
    func pushes(on c: PostgresConnection) async throws -> [String: OfficePush] {
        var found: [String: OfficePush] = [:]
        let rows = try await c.query("""
            SELECT office, counted_at, sessions_behind, rows_behind, removals_behind, last_success, last_failure, last_error, zone FROM push_status
            """, logger: logger)
        for try await (office, counted, sessions, entries, removals, success, failure, error, zone)
            in rows.decode((String, Double, Int32, Int64, Int32, Double?, Double?, String?, String?).self) {
            found[office] = OfficePush(countedAt: Date(timeIntervalSince1970: counted), sessionsBehind: Int(sessions), rowsBehind: Int(entries),
                                       removalsBehind: Int(removals), lastSuccess: success.map(Date.init(timeIntervalSince1970:)),
                                       lastFailure: failure.map(Date.init(timeIntervalSince1970:)), lastError: error, zone: zone)
        }
        return found
    }
}
