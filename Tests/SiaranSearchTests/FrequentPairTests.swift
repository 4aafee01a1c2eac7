import Foundation
import Logging
import PostgresNIO
import SiaranArchive
@testable import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Two words and phrases whose words are each in many rows: past the shared match sets' bound
/// (`PostgresCatalog.sharedMatches`), as at millions of cues, the shared catalog reads them session by
/// session, testing each session's newest rows (`ts_match_vq`) instead of ANDing the word index's
/// postings with every session's rows (which walks a frequent word's whole posting list once per
/// session); two words rare together are read once through the word index, and a page of a pair's newest
/// matches is read from the newest rows, not sorted out of all of them. It finds what the SQLite
/// catalog finds. The catalog here is small: the words' counts are raised as the vocabulary gives them
/// at scale (`AtScale`), which is all that chooses the reads.
@Suite("Frequent word pairs")
struct FrequentPairTests {
    let folder = TestFolder.make("frequent-pairs")

    /// 60 sessions of 100 cues: "informasi" in a quarter of the cues, "penahanan" in a sixth (together
    /// in one cue of 12, half of them the phrase "penahanan informasi"); "tageh" and "claim" each in a
    /// tenth and together in three cues only, two of them in sessions older than the 50 newest (f4, f9),
    /// so that a search for them reads wider than its first read. Uploaded captions in odd sessions,
    /// machine transcripts in even ones.
    func sessions() throws -> [IndexedSession] {
        let words = ["pemilu", "hoaks", "logistik", "kampanye", "pemilih", "daftar", "media", "tetap", "anggaran", "kabupaten", "rapat"]
        let together: Set<[Int]> = [[4, 7], [9, 33], [11, 61]]
        return try (0..<60).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400)
            var m = SessionManifest(id: "f\(n)", title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            let cues = (0..<100).map { (i: Int) -> Cue in
                var said = [words[(i + n) % words.count], words[(i * 3 + n) % words.count], "nomor", "\(i % 7)"]
                if i % 24 == 0 { said.insert(contentsOf: ["penahanan", "informasi"], at: 1) } else {
                    if i % 4 == 0 { said.insert("informasi", at: 0) }
                    if i % 6 == 0 { said.append("penahanan") }
                }
                if together.contains([n, i]) { said += ["tageh", "claim"] } else if i % 10 == 1 { said.insert("tageh", at: 2) } else if i % 10 == 6 {
                    said.append("claim")
                }
                return Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: said.joined(separator: " "))
            }
            let name = n % 2 == 0 ? "asr.vtt" : "01-id.vtt"
            try FileManager.default.createDirectory(atPath: folder + "/f\(n)", withIntermediateDirectories: true)
            let captions = try CaptionSource.write(cues, to: folder + "/f\(n)/\(name)")
            let tags = [SessionEvent(kind: .note, media: 50, value: "catatan penahanan informasi \(n)")]
            return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: tags, end: 1200), captions: [captions], fingerprint: "f\(n)")
        }
    }

    static let queries = ["informasi penahanan", "\"penahanan informasi\"", "tageh claim", "\"tageh claim\"", "informasi penahanan -hoaks"]

    func seen(_ index: any SearchIndex, _ text: String, _ filters: SearchFilters, perSession: Int?) async throws -> [String] {
        try await index.search(try SearchQuery(text), filters: filters, limit: 20, perSession: perSession, now: Date(timeIntervalSince1970: 1_800_000_000))
            .map { "\($0.session)@\($0.seconds) \($0.matched) \($0.snippet) \(($0.score * 1e9).rounded())" }
    }

    /// The plan's lines of one statement, run (EXPLAIN ANALYZE: with how many times each node ran).
    /// Testing a row made costly (`cpu_operator_cost`): in a small catalog, reading a session's few rows
    /// in order is cheaper than any read of the word index, whatever the words; at millions of rows the
    /// planner's estimate for two words (the product of their frequencies) turns that round (2.8-4.1 s
    /// for two words at 5M cues). So tilted, the planner reads the word index wherever the statement
    /// lets it: in every session, when it may.
    func plan(_ catalog: PostgresCatalog, _ statement: PostgresCatalog.Statement) async throws -> [String] {
        try await catalog.searching("explain", viewer: nil) { c in
            let logger = Logger(label: "explain")
            try await c.query("BEGIN", logger: logger)
            try await c.query("SET LOCAL cpu_operator_cost = 1", logger: logger)
            var query = statement.query
            query.sql = "EXPLAIN (ANALYZE, COSTS OFF) " + query.sql
            var lines: [String] = []
            for try await line in try await c.query(query, logger: logger).decode(String.self) { lines.append(line) }
            try await c.query("ROLLBACK", logger: logger)
            return lines
        }
    }

    /// What a statement answers: each probe's rows (probe, whether its caps keep the row, row id), sorted.
    func rows(_ catalog: PostgresCatalog, _ statement: PostgresCatalog.Statement) async throws -> [String] {
        try await catalog.searching("rows", viewer: nil) { c in
            var rows: [String] = []
            let answer = try await c.query(statement.query, logger: Logger(label: "rows"))
            for try await row in answer.decode((Int64, Bool, Int64, Int64, String, String, Double, Int16, Double, String, String?, String?, String, String?).self) {
                rows.append("\(row.0) \(row.1) \(row.3)")
            }
            return rows.sorted()
        }
    }

    @Test("two frequent words and phrases, rare together or not, past the shared sets: the SQLite catalog's hits; the word index read at most once per probe, never once per session")
    func sameHitsNoWalkPerSession() async throws {
        let (sqlite, postgres) = try await TestEngine.bothHolding(try sessions(), folder: folder)
        #expect(try await postgres.rows(holding: "informasi") == 1500 + 60)  // and the notes
        #expect(try await postgres.rows(holding: "tageh") == 602)
        let office = PostgresCatalog.defaultOffice, since = Date(timeIntervalSince1970: 1_700_000_000 + 5 * 86_400)
        let filters = [SearchFilters(), SearchFilters(office: office), SearchFilters(since: since), SearchFilters(session: "f4")]
        var perSessionReads = 0, pairReads = 0
        for text in Self.queries {
            for filter in filters {
                for perSession in [3, nil] as [Int?] {
                    let recording = RecordingIndex(postgres, rewrite: AtScale.scaled)
                    let found = try await seen(recording, text, filter, perSession: perSession)
                    #expect(found == (try await seen(sqlite, text, filter, perSession: perSession)), "\(text) \(filter) \(perSession ?? 0)")
                    #expect(!found.isEmpty, "\(text) \(filter)")
                    // The pair's cues in f4 and f9 lie beyond the first read: only the wide read finds them.
                    if text.contains("tageh"), filter.session == nil, filter.since == nil {
                        #expect(found.contains { $0.hasPrefix("f4@") } && found.contains { $0.hasPrefix("f9@") }, "\(text) \(filter): \(found)")
                    }
                    // Every statement the search may send, first reads and wide ones: the word index (a
                    // bitmap scan of `entry_tokens`) runs once at most, whatever the sessions read.
                    let probes = AtScale.scaled(recording.probes)
                    let request = CandidateRequest(probes: probes, completions: [:], viewer: nil)
                    for wide in [false, true] {
                        // The wide read as for words rare together: their matches read once through the word index.
                        let rareTogether = wide ? Set(probes.indices) : []
                        let statement = try #require(postgres.statement(request, probes: Array(probes.indices), wide: wide, rareTogether: rareTogether))
                        if wide {
                            // Read once through the word index, the pair's rows are those read session by session.
                            let bySession = try #require(postgres.statement(request, probes: Array(probes.indices), wide: true))
                            #expect(try await rows(postgres, statement) == (try await rows(postgres, bySession)), "\(text) \(filter) \(perSession ?? 0)")
                        }
                        #expect(statement.shared.sets.isEmpty, "\(text) \(filter)")
                        let lines = try await plan(postgres, statement)
                        let loops = lines.filter { $0.contains("Bitmap Index Scan on entry_tokens ") }.compactMap { line in
                            line.range(of: "loops=").map { Int(line[$0.upperBound...].prefix { $0.isNumber }) ?? 0 }
                        }
                        #expect(loops.allSatisfy { $0 == 1 }, "\(text) \(filter) \(perSession ?? 0) wide \(wide): \(lines.joined(separator: "\n"))")
                        // A first read over all sessions tests the newest rows one by one, capped or not: a pair's
                        // matches are never all read through the word index to keep the newest (at 5M cues,
                        // 50,000 of "pemangku kepentingan" to sort for a page of 20).
                        if !wide, filter.office == nil, filter.session == nil, filter.since == nil {
                            #expect(loops.isEmpty, "\(text) \(perSession ?? 0): \(lines.joined(separator: "\n"))")
                        }
                        if !statement.dense.isEmpty {
                            perSessionReads += 1
                            #expect(lines.contains { $0.contains("ts_match_vq(") }, "\(text) \(filter)")
                        }
                        if wide, text.contains("tageh") { pairReads += loops.count }
                    }
                }
            }
        }
        #expect(perSessionReads > 0)
        #expect(pairReads > 0)
    }
}

/// Past the first read's bound: a page of two words' newest matches is first looked for in the newest
/// `newestRowsRead` rows (`PostgresSearchPairs`); two words said together only further back are found
/// by the wide read, as the SQLite catalog finds them.
@Suite("Word pairs past the newest rows")
struct PairsPastNewestRowsTests {
    let folder = TestFolder.make("pairs-past-newest")

    /// 52 sessions of 500 machine-transcript cues (26,000 rows of that kind, more than the first read
    /// tests): "tageh" and "claim" each in a tenth of the cues, together in the 4 oldest sessions (6 cues
    /// each), behind 24,000 newer rows, and once in the newest: the first read finds that one, fewer than
    /// a page. (Fails if that read's bound is not reported: the wide read is then not asked.)
    func sessions() throws -> [IndexedSession] {
        let words = ["pemilu", "hoaks", "logistik", "kampanye", "pemilih", "daftar", "media", "tetap", "anggaran", "kabupaten", "rapat"]
        return try (0..<52).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400)
            var m = SessionManifest(id: "g\(n)", title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            let cues = (0..<500).map { (i: Int) -> Cue in
                var said = [words[(i + n) % words.count], words[(i * 3 + n) % words.count], "nomor", "\(i % 7)"]
                if (n < 4 && i % 80 == 3) || (n == 51 && i == 250) { said += ["tageh", "claim"] } else if i % 10 == 1 { said.insert("tageh", at: 2) } else if i % 10 == 6 {
                    said.append("claim")
                }
                return Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: said.joined(separator: " "))
            }
            try FileManager.default.createDirectory(atPath: folder + "/g\(n)", withIntermediateDirectories: true)
            let captions = try CaptionSource.write(cues, to: folder + "/g\(n)/asr.vtt")
            return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 2000), captions: [captions], fingerprint: "g\(n)")
        }
    }

    @Test("two words together only behind the newest rows the first read tests: found by the wide read, the SQLite catalog's hits")
    func foundPastTheFirstRead() async throws {
        let (sqlite, postgres) = try await TestEngine.bothHolding(try sessions(), folder: folder)
        #expect(try await postgres.entryCount() > PostgresCatalog.newestRowsRead)
        let pairs = FrequentPairTests()
        for text in ["tageh claim", "\"tageh claim\""] {
            for perSession in [nil, 3] as [Int?] {
                let recording = RecordingIndex(postgres, rewrite: AtScale.scaled)
                let found = try await pairs.seen(recording, text, SearchFilters(), perSession: perSession)
                #expect(found == (try await pairs.seen(sqlite, text, SearchFilters(), perSession: perSession)), "\(text) \(perSession ?? 0)")
                #expect(found.count == 20 || (perSession != nil && found.count == 12), "\(text) \(perSession ?? 0): \(found.count)")
                #expect(found.allSatisfy { ["g0@", "g1@", "g2@", "g3@", "g51"].contains(String($0.prefix(3))) }, "\(text): \(found)")
                #expect(found.contains { $0.hasPrefix("g51@") } && found.contains { ["g0@", "g1@", "g2@", "g3@"].contains(String($0.prefix(3))) }, "\(text): \(found)")
                if perSession == nil {
                    // The first read tested the newest rows (not sessions, not the word index).
                    let probes = AtScale.scaled(recording.probes)
                    let statement = try #require(postgres.statement(CandidateRequest(probes: probes, completions: [:], viewer: nil),
                                                                    probes: Array(probes.indices), wide: false))
                    #expect(statement.query.sql.contains("LIMIT \(PostgresCatalog.newestRowsRead))"), "\(statement.query.sql)")
                }
            }
        }
    }
}

/// The shared catalog as it reads at millions of cues: every probe's words are said to be in more
/// rows than a shared match set holds (and in as many rows as the catalog has), as the vocabulary
/// counts them there; the rows and the scores stay this catalog's.
enum AtScale {
    static func scaled(_ probes: [CandidateProbe]) -> [CandidateProbe] {
        probes.map { probe in
            var scaled = probe
            if probe.matches != nil {
                scaled.matches = PostgresCatalog.sharedMatches + 1
                scaled.total = PostgresCatalog.sharedMatches + 1
            }
            return scaled
        }
    }
}
