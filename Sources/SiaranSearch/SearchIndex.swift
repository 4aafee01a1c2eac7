import Foundation
import SiaranArchive

/// A searchable index of an archive's sessions: the seam between the search front ends (command line,
/// web server) and the engines behind them (`SQLiteCatalog` for one machine; a shared catalog for many
/// offices). Derived from the session files and rebuilt from them at will; `CatalogRefresh` keeps it in
/// step with them. An engine answers a few set-oriented questions (`vocabulary`, `candidates`); every
/// search is `SearchPlan`'s, scored and ordered by `Ranking`.
///
/// Asynchronous, so that a server never blocks its event loops on it: engines do their blocking work
/// (SQLite reads, network round trips) on threads of their own.
public protocol SearchIndex: Sendable {
    /// What a search needs to know before reading rows: document frequencies, prefix completions,
    /// the names and labels of its filters (one round trip on a networked engine).
    func vocabulary(_ request: VocabularyRequest) async throws -> Vocabulary
    /// Each probe's rows (one round trip for all of them on a networked engine). Searching, scoring,
    /// crowding and snippets are `SearchPlan`'s, the same for every engine.
    func candidates(_ request: CandidateRequest) async throws -> [CandidateList]
    /// Whether the engine answers over a network: a search then asks everything it may need at once.
    var batchesProbes: Bool { get }
    /// Runs `body` with an index whose calls share one connection where the engine has them, so that a
    /// search's questions need no round trip to prepare another (the default: this index itself).
    func together<T: Sendable>(_ body: (any SearchIndex) async throws -> T) async throws -> T

    /// Every indexed session id with the fingerprint of its files when indexed.
    func indexedSessions() async throws -> [String: IndexedState]
    /// Replaces everything indexed for these sessions. A session being recorded is left alone when it
    /// was indexed after `freshAfter` (by another process, say).
    func replace(_ sessions: [IndexedSession], freshAfter: Date?) async throws
    /// Removes sessions that no longer exist.
    func remove(_ ids: [String]) async throws

    /// When the index last compared itself with every session's files.
    func lastScan() async throws -> ArchiveScan
    func setLastScan(_ scan: ArchiveScan) async throws

    /// Entries left behind by caption files that changed under the index (unreachable, but taking room).
    func staleEntries() async throws -> Int
    /// Whether stale entries have grown enough that emptying and rebuilding is worth it.
    func needsCompaction() async throws -> Bool
    /// Empties the index (the next refresh indexes every session again).
    func clear() async throws
    /// Compacts storage after a rebuild.
    func optimize() async throws
    /// How many rows (cues, tags, titles…) the index holds.
    func entryCount() async throws -> Int

    /// Indexed words (exact forms) at most `maxDistance` edits (`EditDistance`) from `word`, with how
    /// many rows hold each; for "did you mean". Most frequent first, at most `limit`.
    func similarWords(to word: String, maxDistance: Int, limit: Int) async throws -> [IndexedWord]
    /// How many rows hold `word` in its exact form or by its stem (0: the index has never seen it).
    func rows(holding word: String) async throws -> Int
    /// The names the index holds for a filter (speakers with their aliases, agenda items, topics).
    func knownNames(_ field: FilterField) async throws -> [KnownName]
}

/// A word of an index's vocabulary and how many rows hold it.
public struct IndexedWord: Sendable, Equatable {
    public var word: String
    public var rows: Int
    /// Edits away from the word asked about.
    public var distance: Int

    public init(word: String, rows: Int, distance: Int) {
        self.word = word
        self.rows = rows
        self.distance = distance
    }
}

/// Opens the search index of an archive: what a front end is given, so it never names an engine.
public protocol SearchIndexEngine: Sendable {
    /// Opens (creating or upgrading) the index of `archive`.
    func open(_ archive: Archive) throws -> any SearchIndex
    /// Deletes the index of `archive` (a rebuild starts from nothing; it also clears a damaged index).
    func destroy(_ archive: Archive) throws
}
