import Logging
import PostgresNIO

// A connection whose view is part of the catalog (an office's role that does not see all, or any
// role narrowed to one office by `siaran.viewer`) reads a word's newest matches session by session,
// from the sessions its view holds, as a search narrowed to an office does (`--from-office`).
//
// Row-level security decides which rows it sees, but the planner does not know how few: for a page of
// a frequent word's newest matches it reads the row ids' index backwards and drops the rows of every
// session the policies hide. At 1M cues an office whose newest rows were pushed before the others'
// read 644,000 rows that way for 20 of its own, four arms a search (113-155 ms each: `cedar` 880 ms,
// `informasi` 1.3 s a search, against 60-90 ms as the tables' owner). Its own sessions newest first
// (`session` under the same policies) are a few thousand rows.
extension PostgresCatalog {
    /// Up to how many rows a part view's sessions hold for its reads of matches through the word index to
    /// be narrowed to them (`partRead` in `statement`). The planner cannot see how many sessions that is
    /// and ANDs the word index with `entry_session` for all of them: ~0.05 µs a row of theirs (5M cues:
    /// ~5 ms for kpu-010's 65 sessions), against ~2.6 µs for each other office's match the policies drop
    /// (131 ms for 49,209). A role that sees much (shares from many offices) reads as before.
    static let partNarrowRows = 1_000_000

    /// Whether the role's own view (no `siaran.viewer`) is a part of the catalog: the policies bind it
    /// and it does not see all. Asked once when the catalog opens: a role given `--sees-all` later keeps
    /// reading session by session until Siaran restarts, which is slower for it but sees the same rows.
    static func seesPart(on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var part = false
        for try await flag in try await connection.query("SELECT row_security_active('entry') AND NOT siaran_sees_all()", logger: logger)
            .decode(Bool.self) { part = flag }
        return part
    }

    /// Whether a search read with `viewer`'s view (nil or "": the role's own) sees a part of the catalog.
    /// A named viewer always narrows (`siaran_sees_all()` is false while one is set).
    func seesPart(viewer: String?) async -> Bool {
        if let viewer, !viewer.isEmpty { return true }
        return (try? await ready.value) ?? false
    }
}
