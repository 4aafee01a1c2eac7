import Foundation
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Both catalog engines, given the same sessions, return the same hits in the same order, with the
/// same scores, snippets, speakers and agenda items: ranking lives in `Ranking`, not in an engine.
@Suite("Engine parity")
struct EngineParityTests {
    let folder = TestFolder.make("engine-parity")

    func sessions() throws -> [IndexedSession] {
        let words = ["anggaran", "pemilu", "hoaks", "sosialisasi", "pemilih", "logistik", "kampanye", "daftar", "tetap", "memilih",
                     "mensosialisasikan", "informasi", "kabupaten", "DPT", "media", "sosial"]
        let roster = [Person(name: "Ilham Saputra", aliases: ["Pak Ketua"]), Person(name: "Anisha Dasuki")]
        return try (0..<6).map { n in
            let date = ISO8601Parse("202\(n % 4)-0\(n + 1)-10T02:00:00Z")
            var m = SessionManifest(id: "s\(n)", title: "Rapat \(words[n]) \(n)", kind: .imported, source: "x.mp4", createdAt: date,
                                    segmentFormat: "ts", targetSegmentDuration: 6)
            m.startedAt = date
            m.state = .complete
            m.segments = [SegmentRecord(sequence: 0, file: "0.ts", mediaStart: 0, duration: 900, wallClockStart: date, bytes: 1, discontinuity: false)]
            // Deterministic word mixes: every word in several sessions, some many times in one.
            var cues: [Cue] = []
            for i in 0..<(8 + n * 5) {
                var text: [String] = []
                for k in 0..<4 { text.append(words[(i * (n + 3) + k * 5 + n) % words.count]) }
                let voice: String? = i % 9 == 4 ? "Anisha" : nil
                cues.append(Cue(start: Double(i * 7), end: Double(i * 7 + 5), text: text.joined(separator: " "), voice: voice))
            }
            let captions = try CaptionSource.write(cues, to: folder + "/s\(n).vtt")
            let tags = [SessionEvent(kind: .speaker, media: 0, value: "Ilham Saputra"), SessionEvent(kind: .agenda, media: 30, value: "Paparan", agendaNumber: 1),
                        SessionEvent(kind: .topic, media: 40, value: words[(n * 3) % words.count]), SessionEvent(kind: .note, media: 50, value: "catatan \(words[n + 2])")]
            let agenda = Agenda(title: m.title, organiser: "KPU", speakers: roster, agenda: [AgendaItem(title: "Paparan")])
            return IndexedSession(manifest: m, agenda: agenda, timeline: SessionTimeline(events: tags, end: 900), captions: [captions], fingerprint: "f\(n)")
        }
    }

    struct Seen: Equatable, CustomStringConvertible {
        var session: String, seconds: Double, matched: String, speaker: String?, agenda: String?, snippet: String, score: Double
        var description: String { "\(session)@\(seconds) \(matched) \(snippet) \(score)" }
        static func == (a: Seen, b: Seen) -> Bool {
            a.session == b.session && a.seconds == b.seconds && a.matched == b.matched && a.speaker == b.speaker && a.agenda == b.agenda
                && a.snippet == b.snippet && abs(a.score - b.score) < 1e-9
        }
    }

    @Test("the same hits in the same order from SQLite and PostgreSQL, for words, stems, phrases, prefixes, OR, exclusions, filters and crowding")
    func sameHits() async throws {
        let sessions = try sessions()
        // The SQLite catalog reads snippets from the caption files beside it.
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder)
        let postgres = try TestEngine.postgres.makeIndex(folder: folder)
        try await sqlite.replace(sessions)
        try await postgres.replace(sessions)
        #expect(try await sqlite.entryCount() == postgres.entryCount())
        let now = ISO8601Parse("2024-06-01T00:00:00Z")
        let queries = ["anggaran", "pemilih", "memilih", "sosialisasi", "\"daftar tetap\"", "pemil*", "hoaks OR logistik", "informasi -kabupaten",
                       "anggaran pemilu", "dpt", "kampanye media", "rapat", "catatan", "-hoaks pemilu"]
        let filters = [SearchFilters(), SearchFilters(speaker: "anisha"), SearchFilters(agenda: "paparan"),
                       SearchFilters(since: ISO8601Parse("2022-01-01T00:00:00Z")), SearchFilters(session: "s3"),
                       SearchFilters(kinds: MatchKind.moments)]
        for text in queries {
            let query = try SearchQuery(text)
            for filter in filters {
                for (limit, perSession) in [(5, 3), (20, 3), (12, nil)] as [(Int, Int?)] {
                    let a = try await sqlite.search(query, filters: filter, limit: limit, perSession: perSession, now: now)
                        .map { Seen(session: $0.session, seconds: $0.seconds, matched: $0.matched, speaker: $0.speaker, agenda: $0.agenda, snippet: $0.snippet, score: $0.score) }
                    let b = try await postgres.search(query, filters: filter, limit: limit, perSession: perSession, now: now)
                        .map { Seen(session: $0.session, seconds: $0.seconds, matched: $0.matched, speaker: $0.speaker, agenda: $0.agenda, snippet: $0.snippet, score: $0.score) }
                    #expect(a == b, "\(text) \(filter) limit \(limit): sqlite \(a) postgres \(b)")
                }
            }
        }
        for word in ["anggaran", "pemilu", "angaran", "sosialisai", "zebra"] {
            #expect(try await sqlite.rows(holding: word) == postgres.rows(holding: word), "\(word)")
            #expect(try await sqlite.similarWords(to: word, maxDistance: 2, limit: 5) == postgres.similarWords(to: word, maxDistance: 2, limit: 5), "\(word)")
        }
        for field in FilterField.allCases {
            #expect(try await sqlite.knownNames(field) == postgres.knownNames(field), "\(field)")
        }
        // Removing sessions leaves the same vocabulary and counts behind.
        try await sqlite.remove(["s2", "s4"])
        try await postgres.remove(["s2", "s4"])
        #expect(try await sqlite.entryCount() == postgres.entryCount())
        for word in ["anggaran", "pemilu", "hoaks"] { #expect(try await sqlite.rows(holding: word) == postgres.rows(holding: word)) }
        let after = try SearchQuery("anggaran")
        #expect(try await sqlite.search(after, filters: SearchFilters(), limit: 20, perSession: 3, now: now).map(\.seconds)
                == postgres.search(after, filters: SearchFilters(), limit: 20, perSession: 3, now: now).map(\.seconds))
    }

    @Test("a two-word search is at most 3 PostgreSQL round trips (with and without a filter or an office) and finds what SQLite finds")
    func fewRoundTrips() async throws {
        let sessions = try sessions()
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder)
        let index = try TestEngine.postgres.makeIndex(folder: folder)
        let postgres = try #require(index as? PostgresCatalog)
        try await sqlite.replace(sessions)
        try await postgres.replace(sessions)
        let now = ISO8601Parse("2024-06-01T00:00:00Z")
        let filters = [SearchFilters(), SearchFilters(speaker: "anisha"), SearchFilters(since: ISO8601Parse("2022-01-01T00:00:00Z")),
                       SearchFilters(office: PostgresCatalog.defaultOffice), SearchFilters(speaker: "anisha", office: PostgresCatalog.defaultOffice)]
        var found = 0
        for text in ["anggaran pemilu", "kampanye media", "hoaks pemilu", "informasi kabupaten"] {
            for filter in filters {
                let before = postgres.queriesSent
                let b = try await ArchiveSearch(index: postgres).run(text, filters: filter, now: now)
                let sent = postgres.queriesSent - before
                #expect(sent <= 3 && sent >= 2, "\(text) \(filter): \(sent) statements")
                let a = try await ArchiveSearch(index: sqlite).run(text, filters: filter, now: now)
                #expect(a.hits.map(\.snippet) == b.hits.map(\.snippet) && a.hits.map(\.session) == b.hits.map(\.session), "\(text) \(filter)\nsqlite \(a.hits.map { "\($0.session)@\($0.seconds) \($0.score) \($0.spreadOver ?? [])" })\npostgres \(b.hits.map { "\($0.session)@\($0.seconds) \($0.score) \($0.spreadOver ?? [])" })")
                #expect(a.hits.map(\.spreadOver) == b.hits.map(\.spreadOver) && a.sessions.map(\.session) == b.sessions.map(\.session))
                found += b.hits.count
            }
        }
        #expect(found > 20)
        // A word the catalog has never seen costs one more look-up (the nearest indexed words).
        let before = postgres.queriesSent
        let corrected = try await ArchiveSearch(index: postgres).run("angaran pemilu", now: now)
        #expect(corrected.corrections.map(\.to) == ["anggaran"])
        #expect(postgres.queriesSent - before <= 5)
    }
}
