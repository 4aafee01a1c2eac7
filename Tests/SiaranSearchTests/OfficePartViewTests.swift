import Foundation
import Logging
import PostgresNIO
import SiaranArchive
@testable import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// An office's role sees a part of the shared catalog (row-level security): a page of a frequent
/// word's newest matches is read from the sessions it sees, newest first, not from the whole table's
/// newest rows with every other office's dropped by the policies (at 1M cues 644,000 rows read for 20 of
/// the office's, four arms a search; `PostgresPartView.swift`). It still sees only its own sessions.
@Suite("Office part view reads")
struct OfficePartViewTests {
    let folder = TestFolder.make("office-part-view")

    /// `count` sessions of `office` of `cues` cues, "informasi" in a quarter of them, from day `first`, and
    /// "pemangku kepentingan" in one of every `phraseEvery`.
    func sessions(_ office: String, from first: Int, count: Int, cues: Int = 40, phraseEvery: Int = 1_000) throws -> [IndexedSession] {
        let words = ["pemilu", "logistik", "kampanye", "pemilih", "anggaran", "kabupaten", "rapat"]
        return try (0..<count).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(first + n) * 86_400)
            let id = "\(office)-\(n)"
            var m = SessionManifest(id: id, title: "Sidang \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            let spoken = (0..<cues).map { (i: Int) -> Cue in
                var said = [words[(i + n) % words.count], words[(i * 3 + n) % words.count], "nomor", "\(i % 5)"]
                if i % 4 == 0 { said.insert("informasi", at: 1) }
                if i % phraseEvery == 1 { said += ["pemangku", "kepentingan"] }
                return Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: said.joined(separator: " "))
            }
            try FileManager.default.createDirectory(atPath: folder + "/\(id)", withIntermediateDirectories: true)
            let captions = try CaptionSource.write(spoken, to: folder + "/\(id)/01-id.vtt")
            return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 200), captions: [captions], fingerprint: id)
        }
    }

    func seen(_ index: any SearchIndex, _ text: String, perSession: Int?) async throws -> [String] {
        try await index.search(try SearchQuery(text), filters: SearchFilters(), limit: 20, perSession: perSession, now: Date(timeIntervalSince1970: 1_800_000_000))
            .map { "\($0.session)@\($0.seconds) \($0.matched) \($0.snippet) \(($0.score * 1e9).rounded())" }
    }

    /// The most rows one node of `statement`'s plan (of those reading `table`, when given) dropped by its
    /// filter (per loop), run as `catalog`'s role.
    func mostDropped(_ catalog: PostgresCatalog, _ statement: PostgresCatalog.Statement, reading table: String? = nil) async throws -> (Int, [String]) {
        try await catalog.searching("explain", viewer: nil) { c in
            var query = statement.query
            query.sql = "EXPLAIN (ANALYZE, COSTS OFF) " + query.sql
            var lines: [String] = []
            for try await line in try await c.query(query, logger: Logger(label: "explain")).decode(String.self) { lines.append(line) }
            var node = lines.first ?? ""
            let dropped = lines.compactMap { line -> Int? in
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("->") { node = line }
                if let table, !node.contains(" on \(table) ") { return nil }
                return line.range(of: "Rows Removed by Filter: ").map { Int(line[$0.upperBound...].prefix { $0.isNumber }) ?? 0 }
            }
            return (dropped.max() ?? 0, lines)
        }
    }

    /// The rows `statement` answers, in order, run as `catalog`'s role.
    func answered(_ catalog: PostgresCatalog, _ statement: PostgresCatalog.Statement) async throws -> String {
        try await catalog.searching("rows", viewer: nil) { c in
            var query = statement.query
            query.sql = "SELECT coalesce(array_agg(x ORDER BY x), '{}')::text FROM (SELECT q::text AS x FROM (\(query.sql)) q) z"
            var rows = ""
            for try await text in try await c.query(query, logger: Logger(label: "rows")).decode(String.self) { rows = text }
            return rows
        }
    }

    /// Office lama's sessions pushed first (lower row ids), then baru's newer ones, into one catalog; the
    /// catalog as lama's own role and as the tables' owner.
    func catalog(lama: [IndexedSession], baru: [IndexedSession]) async throws -> (office: PostgresCatalog, owner: PostgresCatalog) {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let url = try PostgresTestCluster.newDatabase()
        try await PostgresCatalog(url: url, office: "lama", logger: logger).replace(lama)
        let owner = try PostgresCatalog(url: url, office: "baru", logger: logger)
        try await owner.replace(baru)
        let role = try PostgresTestCluster.newRole("lama")
        try await owner.addOffice("lama", role: role, seesAll: false, mediaURL: nil)
        return (try PostgresCatalog(url: PostgresTestCluster.url(url, as: role), office: "lama", logger: logger), owner)
    }

    @Test("an office's role reads a frequent word's newest rows from its own sessions only, and finds what a catalog of its sessions alone finds")
    func ownSessionsRead() async throws {
        // Office lama's 6 sessions, then baru's 50 newer ones: 2,000 cues newer than lama's 240.
        let lama = try sessions("lama", from: 0, count: 6), baru = try sessions("baru", from: 10, count: 50)
        let (office, owner) = try await catalog(lama: lama, baru: baru)
        #expect(await office.seesPart(viewer: nil))
        #expect(!(await owner.seesPart(viewer: nil)))
        #expect(await owner.seesPart(viewer: "lama"))

        // Its hits: those of a catalog holding lama's sessions alone (row-level security still decides).
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder)
        try await sqlite.replace(lama)
        for perSession in [nil, 3] as [Int?] {
            let found = try await seen(office, "informasi", perSession: perSession)
            #expect(!found.isEmpty && found.allSatisfy { $0.hasPrefix("lama-") })
            let alone = try await seen(sqlite, "informasi", perSession: perSession)
            #expect(found == alone, "\(perSession ?? 0): \(found) against \(alone)")
        }

        // Read as at a million cues (the word in as many rows as the view holds): no node of the first
        // statement drops more rows than lama has (240 cues and its titles), where reading the newest rows of
        // every office drops baru's (ANDed with the word index or not).
        // Two words too: their first read of the newest rows (`newestRowsRead`) is the whole catalog's.
        for text in ["informasi", "informasi nomor"] {
            for perSession in [nil, 3] as [Int?] {
                let recording = RecordingIndex(office, rewrite: AtScale.scaled)
                _ = try await seen(recording, text, perSession: perSession)
                let probes = AtScale.scaled(recording.probes)
                let request = CandidateRequest(probes: probes, completions: [:], viewer: nil)
                let part = try #require(office.statement(request, probes: Array(probes.indices), wide: false, part: true))
                let (dropped, lines) = try await mostDropped(office, part)
                #expect(dropped < 250, "\(text) \(perSession ?? 0): \(lines.joined(separator: "\n"))")
                let whole = try #require(office.statement(request, probes: Array(probes.indices), wide: false, part: false))
                #expect(try await mostDropped(office, whole).0 >= 400, "\(text): the whole catalog's newest rows: baru's dropped")
            }
        }
    }

    @Test("an office's role reads the matches of words few of its rows hold through the word index from its own sessions, not every office's")
    func fewOwnMatchesRead() async throws {
        // "pemangku kepentingan": 12 of lama's 240 cues, 1,200 of baru's 2,400. In lama's own vocabulary the words
        // are rare, so their matches are read once through the word index (`PostgresSearchShared`). Baru's
        // many sessions, as a national catalog's: the planner then takes an office's few (for the words' few
        // rows it would otherwise check each match's session on the heap).
        let lama = try sessions("lama", from: 0, count: 6, phraseEvery: 20)
        let baru = try sessions("baru", from: 10, count: 600, phraseEvery: 2)
        let (office, owner) = try await catalog(lama: lama, baru: baru)
        try await owner.optimize()  // the words' counts, as a catalog's statistics hold them
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder)
        try await sqlite.replace(lama)
        for text in ["\"pemangku kepentingan\"", "pemangku kepentingan", "kepentingan"] {
            let recording = RecordingIndex(office)
            let found = try await seen(recording, text, perSession: nil)
            #expect(found.count == 12 && found.allSatisfy { $0.hasPrefix("lama-") }, "\(text): \(found)")
            #expect(try await found == seen(sqlite, text, perSession: nil), "\(text)")
            let request = CandidateRequest(probes: recording.probes, completions: [:], viewer: nil)
            let part = try #require(office.statement(request, probes: Array(request.probes.indices), wide: false, part: true))
            #expect(!part.shared.sets.isEmpty)
            // No node drops baru's matches (the word index hands over every office's; the policies would drop them).
            let (dropped, lines) = try await mostDropped(office, part, reading: "entry")
            #expect(dropped < 50, "\(text): \(lines.joined(separator: "\n"))")
            let whole = try #require(office.statement(request, probes: Array(request.probes.indices), wide: false, part: false))
            let (wholeDropped, wholeLines) = try await mostDropped(office, whole, reading: "entry")
            #expect(wholeDropped >= 1_000, "\(text): every office's matches read, baru's dropped: \(wholeLines.joined(separator: "\n"))")
            // A view whose sessions hold more rows than `narrowBelow` reads as the whole catalog does, with the same rows.
            let wide = try #require(office.statement(request, probes: Array(request.probes.indices), wide: false, part: true, narrowBelow: 200))
            #expect(try await mostDropped(office, wide, reading: "entry").0 >= 1_000, "\(text): lama's 240 rows are more than 200")
            let rows = try await answered(office, part)
            #expect(rows != "{}", "\(text): the statement answers rows")
            let (wideRows, wholeRows) = (try await answered(office, wide), try await answered(office, whole))
            #expect(wideRows == rows && wholeRows == rows, "\(text)")
        }
    }
}
