import Foundation
import SiaranArchive
import SiaranCore
@testable import SiaranCatalogSQLite
import SiaranSearch
import SiaranTestSupport
import Testing

@Suite("Search query parsing")
struct SearchQueryTests {
    @Test("words, phrases, prefixes, OR and exclusions")
    func parsing() async throws {
        let q = try SearchQuery("sosialisasi \"lintas KPU\" pemil* hoaks OR disinformasi -pilkada")
        #expect(q.clauses == [[.word("sosialisasi")], [.phrase(["lintas", "kpu"])], [.prefix("pemil")],
                              [.word("hoaks"), .word("disinformasi")]])
        #expect(q.excluded == [.word("pilkada")])
        let analyzer = TextAnalyzer()
        #expect(MatchExpression.of(.word("mensosialisasikan"), exactOnly: false, completions: [:], analyzer: analyzer) == "(\"sosialisasi\" OR \"\u{02E2}sosialisasi\")")
        #expect(MatchExpression.of(.word("mensosialisasikan"), exactOnly: true, completions: [:], analyzer: analyzer) == "\"mensosialisasikan\"")
    }

    @Test("curly quotes make phrases and a lower-case or is OR, as phones type them")
    func typedOnPhones() throws {
        #expect(try SearchQuery("“lintas KPU” pemilu or pilkada").clauses == [[.phrase(["lintas", "kpu"])], [.word("pemilu"), .word("pilkada")]])
        #expect(try SearchQuery("„daftar pemilih‟").clauses == [[.phrase(["daftar", "pemilih"])]])
    }

    @Test("hostile or empty queries are refused with a clear message, never a crash", arguments: [
        "", "   ", "-hoaks", "OR", "pemilu OR", "\"\"", "***", "😀🎥", "'; DROP TABLE doc; --",
    ])
    func refused(text: String) {
        do {
            let q = try SearchQuery(text)
            // Whatever parses must give a well-formed expression of quoted tokens only.
            for term in q.clauses.joined() + q.excluded {
                #expect(!(MatchExpression.of(term, exactOnly: false, completions: [:], analyzer: TextAnalyzer()) ?? "").contains(";"))
            }
        } catch let error as SearchQuery.ParseError {
            #expect(!error.message.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("10 kB of text is refused as too long")
    func tooLong() {
        let text = String(repeating: "pemilu ", count: 1500)
        #expect(throws: SearchQuery.ParseError.self) { try SearchQuery(text) }
    }
}

@Suite("Catalog search")
struct CatalogTests {
    let folder = TestFolder.make("catalog")

    func session(_ id: String, title: String, started: Date, cues: [(Double, String)], tags: [SessionEvent]) -> IndexedSession {
        var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: started, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = started
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 600, wallClockStart: started, bytes: 1, discontinuity: false)]
        let agenda = Agenda(title: title, organiser: "KPU RI", speakers: [Person(name: "Ilham Saputra", role: "Ketua KPU RI"), Person(name: "Anisha Dasuki")],
                            agenda: [AgendaItem(title: "Sambutan"), AgendaItem(title: "Materi")])
        let captions = try! CaptionSource.write(cues.map { Cue(start: $0.0, end: $0.0 + 4, text: $0.1) }, to: folder + "/\(id).vtt")
        return IndexedSession(manifest: m, agenda: agenda, timeline: SessionTimeline(events: tags, end: 600),
                              captions: [captions], fingerprint: "f")
    }

    func build(_ engine: TestEngine) async throws -> any SearchIndex {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalog = try engine.makeIndex(folder: folder)
        let tags1 = [
            SessionEvent(kind: .speaker, media: 0, value: "Ilham Saputra"), SessionEvent(kind: .agenda, media: 0, value: "Sambutan", agendaNumber: 1),
            SessionEvent(kind: .speaker, media: 100, value: "Anisha Dasuki"), SessionEvent(kind: .agenda, media: 100, value: "Materi", agendaNumber: 2),
            SessionEvent(kind: .topic, media: 120, value: "hoaks"),
        ]
        try await catalog.replace([
            session("2021-09-15-bakohumas", title: "Sosialisasi Bakohumas", started: ISO8601Parse("2021-09-15T02:00:00Z"), cues: [
                (10, "Kita akan mensosialisasikan juknis kehumasan"),
                (50, "Masyarakat memilih dengan informasi yang benar"),
                (110, "Hoaks harus dilawan dengan informasi lintas KPU"),
                (130, "Pemilih muda perlu literasi digital"),
            ], tags: tags1),
            session("2024-01-10-rapat", title: "Rapat koordinasi", started: ISO8601Parse("2024-01-10T02:00:00Z"), cues: [
                (5, "Sosialisasi tahapan pemilu kepada pemilih"),
                (40, "Distribusi logistik ke kabupaten"),
            ], tags: [SessionEvent(kind: .note, media: 40, value: "logistik terlambat")]),
        ])
        return catalog
    }

    @Test("Indonesian variants find each other; exact forms rank first; the hit knows its moment, speaker and agenda item", arguments: TestEngine.all)
    func variants(engine: TestEngine) async throws {
        let catalog = try await build(engine)
        let sosialisasi = try await catalog.search(SearchQuery("sosialisasi"))
        #expect(sosialisasi.contains { $0.text.contains("mensosialisasikan") && $0.seconds == 10 && $0.speaker == "Ilham Saputra" && $0.agenda == "Sambutan" })
        let pemilih = try await catalog.search(SearchQuery("pemilih"))
        #expect(pemilih.contains { $0.text.contains("memilih") && $0.snippet.contains("«memilih»") })
        let captions = pemilih.filter { $0.matched == "caption" }
        let exactIndex = try #require(captions.firstIndex { $0.text.contains("Pemilih muda") })
        let stemIndex = try #require(captions.firstIndex { $0.text.contains("memilih dengan") })
        #expect(exactIndex < stemIndex, "the exact form should rank above a stem-only match")
        let hoaks = try await catalog.search(SearchQuery("hoaks"))
        #expect(hoaks.contains { $0.seconds == 110 && $0.speaker == "Anisha Dasuki" && $0.agenda == "Materi" && $0.snippet.contains("«Hoaks»") })
        #expect(hoaks.contains { $0.matched == "topic" && $0.seconds == 120 })
    }

    @Test("phrases, prefixes, OR and exclusions", arguments: TestEngine.all)
    func operators(engine: TestEngine) async throws {
        let catalog = try await build(engine)
        #expect(try await catalog.search(SearchQuery("\"lintas KPU\"")).map(\.seconds) == [110])
        #expect(try await catalog.search(SearchQuery("\"KPU lintas\"")).isEmpty)
        #expect(try await catalog.search(SearchQuery("logis*")).contains { $0.seconds == 40 })
        #expect(Set(try await catalog.search(SearchQuery("logistik OR literasi")).filter { $0.matched == "caption" }.map(\.seconds)) == [40, 130])
        #expect(try await catalog.search(SearchQuery("informasi -hoaks")).map(\.seconds) == [50])
    }

    @Test("filters: speaker, topic, agenda item, dates, session", arguments: TestEngine.all)
    func filters(engine: TestEngine) async throws {
        let catalog = try await build(engine)
        let q = try SearchQuery("informasi")
        #expect(try await catalog.search(q, filters: SearchFilters(speaker: "anisha")).map(\.seconds) == [110])
        #expect(try await catalog.search(q, filters: SearchFilters(agenda: "sambutan")).map(\.seconds) == [50])
        let sosialisasi = try SearchQuery("sosialisasi")
        #expect(Set(try await catalog.search(sosialisasi, filters: SearchFilters(topic: "hoaks")).map(\.session)) == ["2021-09-15-bakohumas"])
        #expect(Set(try await catalog.search(sosialisasi, filters: SearchFilters(since: ISO8601Parse("2023-01-01T00:00:00Z"))).map(\.session)) == ["2024-01-10-rapat"])
        #expect(Set(try await catalog.search(sosialisasi, filters: SearchFilters(until: ISO8601Parse("2023-01-01T00:00:00Z"))).map(\.session)) == ["2021-09-15-bakohumas"])
        #expect(Set(try await catalog.search(sosialisasi, filters: SearchFilters(session: "2024-01-10-rapat")).map(\.session)) == ["2024-01-10-rapat"])
    }

    @Test("re-indexing removes a session's old rows exactly while its caption file holds their text", arguments: TestEngine.all)
    func exactRemoval(engine: TestEngine) async throws {
        let catalog = try await build(engine)
        let rapat = { (cues: [(Double, String)]) in
            self.session("2024-01-10-rapat", title: "Rapat koordinasi", started: ISO8601Parse("2024-01-10T02:00:00Z"), cues: cues, tags: [])
        }
        let cues: [(Double, String)] = [(5, "Sosialisasi tahapan pemilu kepada pemilih"), (40, "Distribusi logistik ke kabupaten")]
        try await catalog.replace([rapat(cues)])
        let rows = try await catalog.entryCount()
        // Appended to (as a live caption file grows): the old rows come out exactly, the new cue is found.
        try await catalog.replace([rapat(cues + [(60, "Anggaran kampanye")])])
        #expect(try await catalog.staleEntries() == 0)
        #expect(try await catalog.search(SearchQuery("anggaran")).map(\.seconds) == [60])
        #expect(try await catalog.search(SearchQuery("logistik")).filter { $0.matched == "caption" }.count == 1)
        #expect(try await catalog.entryCount() == rows + 1)
        #expect(try await !catalog.needsCompaction())
    }

    @Test("fuzz regression: a word the analyzer keeps whole is one full-text token (no phrase errors)", arguments: TestEngine.all)
    func markInsideWord(engine: TestEngine) async throws {
        let catalog = try await build(engine)
        // Found by `Fuzz/run` (query target): U+05B0 is a mark FTS5's unicode61 tokenizer split words at.
        for text in ["i*Af\u{05B0}R", "af\u{05B0}r", "\"af\u{05B0}r pemilih\"", "क्षेत्र", "x\u{0301}y*"] {
            _ = try await catalog.search(SearchQuery(text))
        }
    }

    @Test("one session's many hits leave room for the other sessions (crowding), and fill the page after them", arguments: TestEngine.all)
    func crowding(engine: TestEngine) async throws {
        let catalog = try engine.makeIndex(folder: folder)
        let sessions = (0..<4).map { n in
            // The newest session says "anggaran" ten times; the three older ones twice each.
            session("2024-0\(n + 1)-10-rapat-\(n)", title: "Rapat \(n)", started: ISO8601Parse("2024-0\(n + 1)-10T02:00:00Z"),
                    cues: (0..<(n == 3 ? 10 : 2)).map { (Double($0 * 10), "Pembahasan anggaran bagian \($0)") }, tags: [])
        }
        try await catalog.replace(sessions)
        let query = try SearchQuery("anggaran")
        let page = try await catalog.search(query, limit: 9)
        #expect(page.map(\.session) == ["2024-04-10-rapat-3", "2024-04-10-rapat-3", "2024-04-10-rapat-3",
                                         "2024-03-10-rapat-2", "2024-03-10-rapat-2", "2024-02-10-rapat-1", "2024-02-10-rapat-1",
                                         "2024-01-10-rapat-0", "2024-01-10-rapat-0"])
        // The newest session's best three are its newest moments.
        #expect(page.prefix(3).map(\.seconds) == [90, 80, 70])
        // Room left after every session has had its turn: the newest session's other hits follow.
        let all = try await catalog.search(query, limit: 20)
        #expect(all.count == 16 && all.suffix(7).allSatisfy { $0.session == "2024-04-10-rapat-3" })
        #expect(Set(all.map(\.seconds)) == Set((0..<10).map { Double($0 * 10) }))
        // By score alone (and within one session), the newest session fills the page.
        #expect(try await catalog.search(query, limit: 9, perSession: nil).allSatisfy { $0.session == "2024-04-10-rapat-3" })
        #expect(try await catalog.search(query, filters: SearchFilters(session: "2024-04-10-rapat-3"), limit: 9).count == 9)
        // Phrases too: the skip past a crowded session lands on the next session's rows.
        let phrase = try await catalog.search(SearchQuery("\"pembahasan anggaran\""), limit: 5)
        #expect(phrase.map(\.session) == ["2024-04-10-rapat-3", "2024-04-10-rapat-3", "2024-04-10-rapat-3",
                                           "2024-03-10-rapat-2", "2024-03-10-rapat-2"])
    }

    @Test("replacing a session's entries leaves no stale matches", arguments: TestEngine.all)
    func replace(engine: TestEngine) async throws {
        let catalog = try await build(engine)
        try await catalog.replace([session("2024-01-10-rapat", title: "Rapat koordinasi", started: ISO8601Parse("2024-01-10T02:00:00Z"),
                                     cues: [(5, "Anggaran")], tags: [])])
        // The caption file was rewritten: SQLite (no caption text kept) cannot remove its old rows exactly;
        // they stay, unreachable. The shared catalog keeps the text and removes them.
        #expect(try await catalog.staleEntries() == (engine.leavesStaleRows ? 2 : 0))
        #expect(try await catalog.search(SearchQuery("logistik")).isEmpty)
        #expect(try await catalog.search(SearchQuery("anggaran")).count == 1)
        try await catalog.clear()
        #expect(try await catalog.staleEntries() == 0)
        #expect(try await catalog.search(SearchQuery("anggaran")).isEmpty)
        try await catalog.remove(["2024-01-10-rapat"])
        #expect(try await catalog.search(SearchQuery("anggaran")).isEmpty)
    }
}

func ISO8601Parse(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: text)!
}
