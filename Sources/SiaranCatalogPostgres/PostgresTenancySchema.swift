// Schema version 2: offices as tenants, enforced by PostgreSQL itself (row-level security), so that an
// office's database role cannot read what it may not see, even with SQL typed by hand.
//
// - An office may have a database role (`office.db_role`): a connection logged in as that role acts
//   as that office. It sees its own sessions, the sessions other offices share with it (`share`:
//   one session or `*` for all of them, with one office or `*` for every office), and everything when
//   its office `sees_all` (the national team). A `sees_all` role may narrow itself to one office's
//   view for one transaction (`siaran.viewer`), as a national server does for a user of a province.
//   It writes only its own office's rows.
// - A role that owns the tables (the administrator who migrated them) is not subject to the
//   policies: it acts as whatever office it names.
// - A role that is neither sees nothing.
//
// Counts that used to be global rows (the row counter, the token counts, the labels) are per office
// now, so that offices indexing at once never wait on each other's rows: `entry_block` hands each
// session a block of 2^24 row ids (ids still count up, newest highest), `office.numbered` counts the
// ids an office has handed out (IDF's total is the sum over what a connection sees), and `term` and
// `label` rows belong to an office.
//
// The index is derived from the offices' archives: this migration empties it and every office
// indexes its sessions again when it next connects (its analyzer mark is cleared).
extension PostgresSchema {
    /// The office a connection acts as, the office whose view it reads with, and whether it sees all.
    /// Used in the policies through `(SELECT f())`, so each is evaluated once per statement.
    static let tenancyFunctions: [String] = [
        """
        CREATE FUNCTION siaran_role_office() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT name FROM office WHERE db_role = current_user $$
        """,
        """
        CREATE FUNCTION siaran_viewer() RETURNS text LANGUAGE sql STABLE AS
        $$ SELECT CASE WHEN o.sees_all AND coalesce(current_setting('siaran.viewer', true), '') <> ''
                       THEN current_setting('siaran.viewer', true) ELSE o.name END
           FROM office o WHERE o.db_role = current_user $$
        """,
        """
        CREATE FUNCTION siaran_sees_all() RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT coalesce((SELECT o.sees_all AND coalesce(current_setting('siaran.viewer', true), '') = ''
                            FROM office o WHERE o.db_role = current_user), false) $$
        """,
        // Offices some of whose rows this connection sees (for the per-office counts and labels).
        """
        CREATE FUNCTION siaran_sees_office(candidate text) RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT candidate = siaran_viewer() OR siaran_sees_all()
                  OR EXISTS (SELECT 1 FROM share h WHERE h.office = candidate AND h.viewer IN (siaran_viewer(), '*')) $$
        """,
    ]

    /// Row-level security on every table an office reads or writes.
    static let tenancyPolicies: [String] = {
        let mine = "office = (SELECT siaran_role_office())"
        let officeVisible = """
            (office = (SELECT siaran_viewer()) OR (SELECT siaran_sees_all())
             OR office IN (SELECT h.office FROM share h WHERE h.viewer IN ((SELECT siaran_viewer()), '*')))
            """
        let sessionVisible = """
            (office = (SELECT siaran_viewer()) OR (SELECT siaran_sees_all())
             OR EXISTS (SELECT 1 FROM share h WHERE h.office = session.office AND h.session_id IN (session.id, '*')
                        AND h.viewer IN ((SELECT siaran_viewer()), '*')))
            """
        // Entries and topics follow their session (the subquery applies the session's policy; the
        // national team's `sees_all` short-circuits it).
        func ofVisibleSession(_ table: String) -> String {
            "((SELECT siaran_sees_all()) OR EXISTS (SELECT 1 FROM session s WHERE s.number = \(table).session))"
        }
        func ofOwnSession(_ table: String) -> String {
            "EXISTS (SELECT 1 FROM session s WHERE s.number = \(table).session AND s.office = (SELECT siaran_role_office()))"
        }
        var statements: [String] = []
        for table in ["office", "session", "entry", "topic", "label", "term", "share"] {
            statements.append("ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY")
        }
        func policies(_ table: String, read: String, write: String) {
            statements.append("CREATE POLICY \(table)_read ON \(table) FOR SELECT USING \(read)")
            statements.append("CREATE POLICY \(table)_insert ON \(table) FOR INSERT WITH CHECK (\(write))")
            statements.append("CREATE POLICY \(table)_update ON \(table) FOR UPDATE USING (\(write)) WITH CHECK (\(write))")
            statements.append("CREATE POLICY \(table)_delete ON \(table) FOR DELETE USING (\(write))")
        }
        policies("session", read: sessionVisible, write: mine)
        policies("entry", read: ofVisibleSession("entry"), write: ofOwnSession("entry"))
        policies("topic", read: ofVisibleSession("topic"), write: ofOwnSession("topic"))
        policies("label", read: officeVisible, write: mine)
        policies("term", read: officeVisible, write: mine)
        policies("share", read: "(\(mine) OR viewer IN ((SELECT siaran_viewer()), '*') OR (SELECT siaran_sees_all()))", write: mine)
        // Every office's name, media address and counts are readable; an office updates its own row,
        // and only the columns granted to it (never its role or `sees_all`).
        statements.append("CREATE POLICY office_read ON office FOR SELECT USING (true)")
        statements.append("CREATE POLICY office_update ON office FOR UPDATE USING (name = (SELECT siaran_role_office()))")
        return statements
    }()

    static let tenancy: [String] = [
        "DELETE FROM session",
        "UPDATE office SET analyzer = '', scan_marker = NULL, scanned_at = 0",
        "DROP TABLE term",
        "DROP TABLE counter",
        "DROP TABLE label",
        """
        ALTER TABLE office ADD COLUMN db_role text UNIQUE, ADD COLUMN sees_all boolean NOT NULL DEFAULT false,
            ADD COLUMN media_url text, ADD COLUMN numbered bigint NOT NULL DEFAULT 0
        """,
        "ALTER TABLE session ADD CONSTRAINT session_office FOREIGN KEY (office) REFERENCES office (name)",
        """
        CREATE TABLE label (
            number bigserial PRIMARY KEY,
            office text NOT NULL REFERENCES office (name),
            kind text NOT NULL,
            name text NOT NULL COLLATE "C",
            aliases text[] NOT NULL DEFAULT '{}',
            UNIQUE (office, kind, name)
        )
        """,
        "CREATE INDEX label_kind ON label (kind, name)",
        """
        CREATE TABLE term (
            office text NOT NULL REFERENCES office (name),
            exact boolean NOT NULL,
            token text NOT NULL COLLATE "C",
            docs bigint NOT NULL,
            PRIMARY KEY (office, exact, token)
        )
        """,
        "CREATE INDEX term_token ON term (exact, token)",
        "CREATE SEQUENCE entry_block",
        """
        CREATE TABLE share (
            office text NOT NULL REFERENCES office (name),
            session_id text NOT NULL,
            viewer text NOT NULL,
            PRIMARY KEY (office, session_id, viewer)
        )
        """,
        "CREATE INDEX share_viewer ON share (viewer)",
    ] + tenancyFunctions + tenancyPolicies + [
        // Row-level security keeps a policy's conditions ahead of a query's own unless the query's
        // are leak-proof, so `tokens @@ query` could not use the GIN index for an office's role.
        // The tsvector match reveals nothing beyond its answer; only a superuser may say so.
        """
        DO $$ BEGIN
            IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF;
            END IF;
        END $$
        """,
    ]
}
