import Foundation
import Logging
import PostgresNIO
import SiaranArchive
@testable import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// The capped probes of two words read session by session share one read of each session and kind
/// (`PostgresSearchSessionReads`): its newest rows holding the words by stem, marked exact or not. A
/// probe by exact forms whose rows that read does not hold (an inflected form among the newest) reads
/// that session itself. Either way it finds what the SQLite catalog finds (fails without that read).
@Suite("Shared session reads")
struct SharedSessionReadTests {
    let folder = TestFolder.make("shared-session-reads")

    /// 12 sessions; the even ones have uploaded captions and a machine transcript, the odd ones one of
    /// them. "pemilihan umum" said exactly and "memilih umum" (the same stem) in runs whose order
    /// changes from session to session: exact forms only behind 30 inflected ones, only in front of them,
    /// or mixed; so a session's newest rows by stem hold a probe's newest rows, or do not.
    func sessions() throws -> [IndexedSession] {
        try (0..<12).map { n in
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400)
            var m = SessionManifest(id: "p\(n)", title: "Rapat \(n)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts",
                                    targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            func cues(_ shift: Int) -> [Cue] {
                (0..<48).map { i in
                    let exact: Bool
                    switch (n + shift) % 3 {
                    case 0: exact = i < 8            // exact forms oldest, behind 40 inflected
                    case 1: exact = i >= 40          // exact forms newest
                    default: exact = i % 5 == 0
                    }
                    let said = (exact ? "pemilihan umum" : "memilih umum") + " nomor \(i % 7)" + (i % 9 == 0 ? " logistik" : "")
                    return Cue(start: Double(i * 4), end: Double(i * 4 + 3), text: said)
                }
            }
            try FileManager.default.createDirectory(atPath: folder + "/p\(n)", withIntermediateDirectories: true)
            var files: [CaptionSource] = []
            if n % 2 == 0 || n % 4 == 1 { files.append(try CaptionSource.write(cues(0), to: folder + "/p\(n)/asr.vtt")) }
            if n % 2 == 0 || n % 4 == 3 { files.append(try CaptionSource.write(cues(1), to: folder + "/p\(n)/01-id.vtt")) }
            return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 200), captions: files, fingerprint: "p\(n)")
        }
    }

    func seen(_ index: any SearchIndex, _ text: String, _ filters: SearchFilters, perSession: Int?) async throws -> [String] {
        try await index.search(try SearchQuery(text), filters: filters, limit: 20, perSession: perSession, now: Date(timeIntervalSince1970: 1_800_000_000))
            .map { "\($0.session)@\($0.seconds) \($0.matched) \($0.snippet) \(($0.score * 1e9).rounded())" }
    }

    @Test("probes of the same words share one read of each session and kind, and read a session themselves where it falls short: the SQLite catalog's hits")
    func sameHitsAsSQLite() async throws {
        let (sqlite, postgres) = try await TestEngine.bothHolding(try sessions(), folder: folder)
        let since = Date(timeIntervalSince1970: 1_700_000_000 + 3 * 86_400)
        var grouped = 0
        for text in ["pemilihan umum", "umum pemilihan -logistik", "\"pemilihan umum\"", "memilih umum"] {
            for filters in [SearchFilters(), SearchFilters(office: PostgresCatalog.defaultOffice), SearchFilters(since: since)] {
                for perSession in [1, 3, nil] as [Int?] {
                    let recording = RecordingIndex(postgres, rewrite: AtScale.scaled)
                    let found = try await seen(recording, text, filters, perSession: perSession)
                    #expect(found == (try await seen(sqlite, text, filters, perSession: perSession)), "\(text) \(filters) \(perSession ?? 0)")
                    #expect(!found.isEmpty, "\(text)")
                    let probes = AtScale.scaled(recording.probes)
                    let request = CandidateRequest(probes: probes, completions: [:], viewer: nil)
                    let statement = try #require(postgres.statement(request, probes: Array(probes.indices), wide: false))
                    if statement.query.sql.contains("session_read_0 AS MATERIALIZED") { grouped += 1 }
                }
            }
        }
        // Each search's capped probes (exact and by stem, captions and transcripts) shared a read, and so
        // did its pages of newest matches in an office or a date range (not in the whole catalog: those read
        // the newest rows, `PostgresSearchPairs`).
        #expect(grouped == 4 * (3 * 2 + 2))
    }
}
