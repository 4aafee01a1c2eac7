import Foundation
import GRDB
import Logging
#if canImport(Glibc)
import Glibc
#endif
import SiaranCore
import SiaranArchive
import SiaranSearch

/// `sessions/catalog.sqlite`: a full-text index (SQLite FTS5 through GRDB) of every session's title,
/// agenda, roster, tags and caption cues. Derived from the session files and rebuilt from them at will.
///
/// Rows of one session get one range of ids; session and date filters become id ranges that FTS5
/// narrows cheaply. Full-text ids count down, so FTS5 meets the newest rows first; no query scores
/// every matching row (see `CatalogSearch.swift`).
///
/// Small on disk: the full-text tables store which rows hold a token and nothing else (`detail=none`;
/// phrases are checked against the text), and caption text is not copied: each cue is a few bytes
/// saying where its text stands in the session's caption file, from which snippets are read. Tokens
/// are the exact folded words, plus `ˢstem` where a word's stem differs, plus `ˣs<n>`/`ˣa<n>` for
/// the speaker and agenda item at the row's moment (so those filters are part of MATCH).
///
/// The schema is in `CatalogSchema.swift`; writing in `CatalogWriter.swift`; the query plan in
/// `QueryPlan.swift`; the paging scan in `CatalogScan.swift`.
public final class SQLiteCatalog: Sendable {
    public let path: String
    let pool: DatabasePool
    let analyzer = TextAnalyzer()
    /// The folder caption paths are stored relative to: the archive's (where the catalog normally is).
    let folder: String
    /// Full-text row ids are `firstID - id`.
    static let firstID: Int64 = 1 << 50

    /// Opens the catalog at `path`, creating it, or rebuilding one of an older schema from scratch
    /// (it is derived); refuses one written by a newer Siaran.
    /// `archiveRoot`: the archive the catalog indexes (default: the catalog's own folder).
    public init(path: String, archiveRoot: String? = nil) throws(CatalogError) {
        self.path = path
        self.folder = archiveRoot ?? (path as NSString).deletingLastPathComponent
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        configuration.label = "siaran-catalog"
        // Several processes may open a new catalog at once (a recorder, taggers, searches): switching
        // it to WAL and creating the schema happen under a file lock, one process at a time; the
        // others then find nothing left to do.
        let lock = open(path + ".open-lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
        if lock >= 0 { while flock(lock, LOCK_EX) != 0 && errno == EINTR {} }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw CatalogError(.cannotOpen, path: path, call: "open", underlying: error)
        }
        try CatalogSchema.prepare(pool, path: path)
        try CatalogSchema.checkAnalyzer(pool, path: path) { db in try SQLiteCatalog.clearRows(in: db) }
    }


    /// Marks a stem token and a context token (non-ASCII, so FTS5's `ascii` tokenizer keeps them inside
    /// the token; the analyzer never produces them, so they cannot collide with words).
    static let stemMarker = "\u{02E2}", contextMarker = "\u{02E3}"

    /// The token of machine-transcript rows.
    static let machineToken = "\u{02E3}m"

    /// The full-text tokens of a row.
    /// `machine`: a line of a machine transcript (marked `ˣm`, so a search reads them apart from human
    /// captions, which outweigh them: see `CatalogQuery.gather`).
    static func tokenString(_ tokens: [TextAnalyzer.Token], speaker: Int64?, agenda: Int64?, machine: Bool = false) -> String {
        var parts: [String] = []
        parts.reserveCapacity(tokens.count * 2 + 2)
        for token in tokens {
            parts.append(token.exact)
            if token.stem != token.exact { parts.append(stemMarker + token.stem) }
        }
        if let speaker { parts.append("\(contextMarker)s\(speaker)") }
        if let agenda { parts.append("\(contextMarker)a\(agenda)") }
        if machine { parts.append(machineToken) }
        return parts.joined(separator: " ")
    }

    /// The full-text row id of a row: ids count down there, so FTS5 meets the newest rows first.
    static func ftsRowID(_ id: Int64) -> Int64 { firstID - id }

    /// A caption path as stored: relative to the catalog's folder when inside it.
    func storedPath(_ path: String) -> String {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
    }

    /// The bytes of a caption file by its stored path (see `RowReader.text`); nil when it cannot be
    /// read safely.
    func readCaptionFile(_ stored: String) -> Data? {
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderFD >= 0 else { return nil }
        defer { close(folderFD) }
        let fd = PlainFile.openBeneath(folderFD, stored)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

}

/// The SQLite catalog as the engine of an archive's search index: `<archive>/catalog.sqlite`.
///
/// The catalog is derived, so a damaged one (not a database, or corrupt) is deleted and rebuilt from
/// the session files, with a warning, instead of failing every search.
public struct SQLiteCatalogEngine: SearchIndexEngine {
    let logger: Logger

    public init(logger: Logger = Logger(label: "siaran.catalog")) {
        self.logger = logger
    }

    /// `<archive>/catalog.sqlite`; for an archive Siaran cannot write (a read-only copy, a mounted
    /// share), a catalog of its own in the user's cache folder, so searching it still works.
    public static func path(of archive: Archive) -> String {
        let inside = archive.root + "/catalog.sqlite"
        if access(archive.root, W_OK) == 0 || access(archive.root, F_OK) != 0 { return inside }
        if access(inside, W_OK) == 0 { return inside }
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"] ?? (environment["HOME"].map { $0 + "/.cache" } ?? NSTemporaryDirectory())
        let name = TextFolding.slug(archive.root, limit: 60) + "-" + String(UInt64(bitPattern: Int64(archive.root.hashValueStable)), radix: 36)
        let folder = cache + "/siaran/catalogs"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name + ".sqlite"
    }

    public func open(_ archive: Archive) throws -> any SearchIndex {
        let path = Self.path(of: archive)
        do {
            return try SQLiteCatalog(path: path, archiveRoot: archive.root)
        } catch {
            guard error.isDamage else { throw error }
            let detail = error.underlying.map { String(describing: $0) } ?? "unreadable"
            logger.warning("\(path) is damaged (\(detail)); rebuilding it from the session files")
            try destroy(archive)
            return try SQLiteCatalog(path: path, archiveRoot: archive.root)
        }
    }

    public func destroy(_ archive: Archive) throws {
        for suffix in ["", "-wal", "-shm"] { unlink(Self.path(of: archive) + suffix) }
    }
}

private extension String {
    /// FNV-1a of the UTF-8 bytes: the same in every process (Swift's `hashValue` is seeded per run).
    var hashValueStable: Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: h)
    }
}
