// Schema version 4: what lets a search's statements stay within a few milliseconds at millions of cues
// (`PostgresCatalog.candidates`). Additive: a Siaran knowing version 2 or 3 goes on pushing, and its
// sessions' `kinds` stay NULL (read as "may hold any kind").
//
// - `entry_tokens_fields`: the words of the rows that are not cues (titles, descriptions, rosters,
//   agenda, speaker, topic and note rows: a few per session), in a GIN index of their own. A probe of
//   those kinds for a frequent word then reads a few rows instead of every cue holding the word.
// - `session.kinds`: which kinds of rows a session holds (bit `1 << kind`), so that reading a
//   frequent word's newest rows session by session skips the sessions without rows of the kinds asked
//   (a session with an uploaded caption file and no machine transcript, say).
// - `session_newest`: sessions newest first (their row ids' blocks count up).
enum PostgresSearchSchema {
    /// The row kinds kept out of `entry_tokens_fields` (the cues: captions and machine transcripts).
    static let cueKinds = "0, 8"

    static let searchSpeed: [String] = [
        "CREATE INDEX entry_tokens_fields ON entry USING gin (tokens) WHERE kind NOT IN (\(cueKinds))",
        "ALTER TABLE session ADD COLUMN kinds integer",
        "UPDATE session s SET kinds = (SELECT coalesce(bit_or(1 << e.kind::integer), 0) FROM entry e WHERE e.session = s.number)",
        "CREATE INDEX session_newest ON session (last_doc)",
        "ANALYZE entry",
        "ANALYZE session",
    ]
}
