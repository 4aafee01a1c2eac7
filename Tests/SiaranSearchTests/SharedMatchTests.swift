import Foundation
import Logging
import PostgresNIO
import SiaranArchive
@testable import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Two words and a phrase whose rarest word is in a few thousand cues, beside a word in every cue: the
/// shared catalog reads their matching rows once per statement (`PostgresSearchShared`), its arms and
/// session-by-session reads take them from that set, and it finds what the SQLite catalog finds.
@Suite("Shared match sets")
struct SharedMatchTests {
    let folder = TestFolder.make("shared-matches")

    /// 10 sessions of 300 cues, every cue saying "informasi"; 4 cues in 5 "pemangku kepentingan" (2,400
    /// rows: more than a capped probe's first read of 2,000, so that a narrowed search reads session by
    /// session), the others "kepentingan ... pemangku" (not the phrase) or "memangku" (its stem, not the
    /// word). Uploaded captions in odd sessions, machine transcripts in even ones.
    func sessions() throws -> [IndexedSession] {
        let words = ["pemilu", "hoaks", "logistik", "kampanye", "pemilih", "daftar", "media"]
        return try (0..<10).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400)
            var m = SessionManifest(id: "p\(n)", title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            let cues = (0..<300).map { (i: Int) -> Cue in
                let other = words[(i + n) % words.count]
                let said = i % 5 != 0 ? "informasi pemangku kepentingan \(other) nomor \(i % 7)"
                    : i % 10 == 0 ? "kepentingan \(other) informasi pemangku" : "informasi memangku \(other) kepentingan"
                return Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: said)
            }
            let name = n % 2 == 0 ? "asr.vtt" : "01-id.vtt"
            try FileManager.default.createDirectory(atPath: folder + "/p\(n)", withIntermediateDirectories: true)
            let captions = try CaptionSource.write(cues, to: folder + "/p\(n)/\(name)")
            let tags = [SessionEvent(kind: .note, media: 50, value: "catatan pemangku kepentingan \(n)")]
            return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: tags, end: 1200), captions: [captions], fingerprint: "f\(n)")
        }
    }

    func seen(_ index: any SearchIndex, _ text: String, _ filters: SearchFilters, perSession: Int?) async throws -> [String] {
        try await index.search(try SearchQuery(text), filters: filters, limit: 20, perSession: perSession, now: Date(timeIntervalSince1970: 1_800_000_000))
            .map { "\($0.session)@\($0.seconds) \($0.matched) \($0.snippet) \(($0.score * 1e9).rounded())" }
    }

    /// Where the statement's plan looks for words in `entry`: its scans that check a tsquery on rows
    /// (however the planner reads them), and the most times one read of the word index is repeated.
    func wordScans(_ catalog: PostgresCatalog, _ statement: PostgresCatalog.Statement) async throws -> (scans: Int, repeated: Int) {
        let lines = try await catalog.searching("explain", viewer: nil) { c in
            var query = statement.query
            query.sql = "EXPLAIN (ANALYZE, COSTS OFF) " + query.sql
            var lines: [String] = []
            for try await line in try await c.query(query, logger: Logger(label: "explain")).decode(String.self) { lines.append(line) }
            return lines
        }
        let scans = lines.filter { ($0.contains("Filter: ") || $0.contains("Recheck Cond: ")) && $0.contains("tokens @@") }.count
        let repeated = lines.filter { $0.contains("Bitmap Index Scan on entry_tokens ") }.compactMap { line in
            line.range(of: "loops=").map { Int(line[$0.upperBound...].prefix { $0.isNumber }) ?? 0 }
        }.max() ?? 1
        return (scans, repeated)
    }

    @Test("two words and a phrase, with and without an office or date filter, capped and not: the SQLite catalog's hits; each set of matching rows read once")
    func sameHitsOneScan() async throws {
        let sessions = try sessions()
        let (sqlite, postgres) = try await TestEngine.bothHolding(sessions, folder: folder)
        #expect(try await postgres.rows(holding: "kepentingan") == 3_010)  // and the 10 notes
        let office = PostgresCatalog.defaultOffice, since = Date(timeIntervalSince1970: 1_700_000_000 + 4 * 86_400)
        let filters = [SearchFilters(), SearchFilters(office: office), SearchFilters(since: since), SearchFilters(since: since, office: office),
                       SearchFilters(session: "p3")]
        for text in ["informasi pemangku", "\"pemangku kepentingan\"", "\"pemangku kepentingan\" -hoaks", "kepentingan pemangku"] {
            for filter in filters {
                for perSession in [3, nil] as [Int?] {
                    let recording = RecordingIndex(postgres)
                    let found = try await seen(recording, text, filter, perSession: perSession)
                    #expect(found == (try await seen(sqlite, text, filter, perSession: perSession)), "\(text) \(filter) \(perSession ?? 0)")
                    #expect(found.count == 20, "\(text) \(filter)")
                    // Asked again in one statement: every probe of cues reads a set of few matches, the
                    // probes of one set (exactly and by stem, captions and transcripts) read it together,
                    // and the plan looks for the words once per set and once per other probe (notes, titles).
                    let probes = recording.probes
                    let request = CandidateRequest(probes: probes, completions: [:], viewer: nil)
                    let statement = try #require(postgres.statement(request, probes: Array(probes.indices), wide: false))
                    let cues = probes.indices.filter { probes[$0].kinds.isSubset(of: [.caption, .transcript]) }
                    #expect(Set(statement.shared.reads.keys) == Set(cues), "\(text) \(filter)")
                    #expect(statement.shared.sets.count < cues.count, "\(text) \(filter)")
                    let (scans, repeated) = try await wordScans(postgres, statement)
                    #expect(scans == statement.shared.sets.count + probes.count - cues.count, "\(text) \(filter) \(perSession ?? 0)")
                    #expect(repeated == 1, "\(text) \(filter) \(perSession ?? 0)")
                    // Narrowed to an office or dates, the uncapped probes' session-by-session reads take their rows from the set too.
                    if perSession == nil, filter.office != nil || filter.since != nil { #expect(!statement.dense.isEmpty, "\(text) \(filter)") }
                }
            }
        }
    }
}
