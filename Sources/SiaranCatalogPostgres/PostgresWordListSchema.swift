// Schema version 6: the indexed words once each (`term_word`), so that "did you mean" for a long word reads
// the words of a few beginnings and endings (`TypoNeighbours`) instead of every word of a near length
// with its count in every office (~1.2M `term` rows at a million cues, 0.4–1.2 s a typo).
//
// - `term_word`: each word some `term` row holds as an exact form, with the word reversed, both indexed,
//   so both a beginning and an ending are a range of an index. Not a national word list: its policy
//   shows a role a word only when `term`'s own policies show it a row holding the word (the national
//   team's `sees_all` skips that check). A trigram index (pg_trgm) was tried first: its operators
//   (LIKE, %) are not leakproof, so under row-level security PostgreSQL may not read them through an
//   index and an office's role read the whole table; ranges and equality are leakproof.
// - Kept by triggers on `term` (of the tables' owner, `SECURITY DEFINER`), so a Siaran knowing v5 keeps
//   it too (additive). No unique index: two offices pushing the same new word at once would otherwise
//   wait for each other's transaction; at worst the word is listed twice (reads take it once). Words no
//   longer in any row stay listed (the counts decide what is offered).
//
// Run time at a million cues: see the README (`term` is locked against writes for it; searches read on).
extension PostgresSchema {
    static let wordList: [String] = [
        "LOCK TABLE term IN SHARE MODE",
        """
        CREATE TABLE term_word (
            token text NOT NULL COLLATE "C",
            reversed text NOT NULL COLLATE "C"
        )
        """,
        """
        CREATE FUNCTION siaran_note_words() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            INSERT INTO term_word (token, reversed)
            SELECT DISTINCT n.token, reverse(n.token) FROM noted n
            WHERE n.exact_docs > 0 AND NOT EXISTS (SELECT 1 FROM term_word w WHERE w.token = n.token);
            RETURN NULL;
        END $$
        """,
        // A definer's function finds its tables in their schema only, never in one the caller puts first.
        "DO $$ BEGIN EXECUTE format('ALTER FUNCTION siaran_note_words() SET search_path = %I, pg_temp', current_schema()); END $$",
        "REVOKE EXECUTE ON FUNCTION siaran_note_words() FROM PUBLIC",
        "CREATE TRIGGER term_words_inserted AFTER INSERT ON term REFERENCING NEW TABLE AS noted FOR EACH STATEMENT EXECUTE FUNCTION siaran_note_words()",
        "CREATE TRIGGER term_words_updated AFTER UPDATE ON term REFERENCING NEW TABLE AS noted FOR EACH STATEMENT EXECUTE FUNCTION siaran_note_words()",
        "INSERT INTO term_word (token, reversed) SELECT token, reverse(token) FROM term WHERE exact_docs > 0 GROUP BY token",
        "CREATE INDEX term_word_token ON term_word (token)",
        "CREATE INDEX term_word_reversed ON term_word (reversed)",
        "ALTER TABLE term_word ENABLE ROW LEVEL SECURITY",
        """
        CREATE POLICY term_word_read ON term_word FOR SELECT USING (
            (SELECT siaran_sees_all()) OR EXISTS (SELECT 1 FROM term t WHERE t.token = term_word.token AND t.exact_docs > 0))
        """,
        """
        DO $$ DECLARE r text; BEGIN
            FOR r IN SELECT o.db_role FROM office o WHERE EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = o.db_role) LOOP
                EXECUTE format('GRANT SELECT ON term_word TO %I', r);
            END LOOP;
        END $$
        """,
        "ANALYZE term_word",
    ]
}
