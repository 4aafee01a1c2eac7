// Schema version 5: the per-office word counts (`term`) in a third of their v4 space.
//
// v4 kept one row per office, token and form (exact or stem) with a bigint count, under two indexes
// (office, exact, token) and (exact, token): 3,646,018 rows and 531 bytes per cue at a million cues,
// more than the rows' own text and tsvectors. A word that is its own stem (most words) had two rows.
// v5 keeps one row per office and token with both counts (`exact_docs`: rows holding it as an exact
// form, `stem_docs`: as a stem; 0 when it is not one), keyed by (token, office): the only order the
// reads need (a token's or a prefix's rows, every office's at once), and the writer's conflict key.
// At a million cues: 2,411,290 rows, 219 bytes per cue.
//
// Not additive: a Siaran knowing v4 writes the old columns, so it is refused (before writing) until
// its office installs this version (`compatibleFrom` 5). The counts are carried over, so no office
// indexes again. Row-level security and the office roles' grants are made again for the new table.
// Run time at a million cues: see the README (it holds an exclusive lock on `term`, so pushes and
// searches wait for it; other tables are untouched).
extension PostgresSchema {
    static let wordCounts: [String] = [
        // No push changes a count while they are carried over (searches read on until the swap).
        "LOCK TABLE term IN EXCLUSIVE MODE",
        """
        CREATE TABLE term_v5 (
            office text NOT NULL REFERENCES office (name),
            token text NOT NULL COLLATE "C",
            exact_docs integer NOT NULL,
            stem_docs integer NOT NULL
        )
        """,
        """
        INSERT INTO term_v5 (office, token, exact_docs, stem_docs)
        SELECT office, token, coalesce(sum(docs) FILTER (WHERE exact), 0), coalesce(sum(docs) FILTER (WHERE NOT exact), 0)
        FROM term GROUP BY token, office ORDER BY token, office
        """,
        "DROP TABLE term",
        "ALTER TABLE term_v5 RENAME TO term",
        "ALTER TABLE term ADD CONSTRAINT term_pkey PRIMARY KEY (token, office)",
        // The office roles' privileges went with the old table (new roles get them from
        // `siaran catalog office add`, which names the table).
        """
        DO $$ DECLARE r text; BEGIN
            FOR r IN SELECT o.db_role FROM office o WHERE EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = o.db_role) LOOP
                EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON term TO %I', r);
            END LOOP;
        END $$
        """,
    ] + tenancyPolicies.filter { $0.contains(" ON term ") || $0 == "ALTER TABLE term ENABLE ROW LEVEL SECURITY" } + [
        "ANALYZE term",
    ]
}
