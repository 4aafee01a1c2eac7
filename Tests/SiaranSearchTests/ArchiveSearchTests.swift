import Foundation
import SiaranArchive
import SiaranCore
@testable import SiaranCatalogSQLite
import SiaranSearch
import SiaranTestSupport
import Testing

/// `ArchiveSearch` over each catalog engine: what `siaran search` and the web pages show.
@Suite("Searching as people search")
struct ArchiveSearchTests {
    let folder = TestFolder.make("archive-search")

    func session(_ id: String, title: String, description: String? = nil, started: String, cues: [Cue],
                 tags: [SessionEvent] = [], roster: [Person] = []) throws -> IndexedSession {
        let date = ISO8601Parse(started)
        var m = SessionManifest(id: id, title: title, kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 600, wallClockStart: date, bytes: 1, discontinuity: false)]
        let agenda = Agenda(title: title, organiser: "KPU Provinsi", description: description, speakers: roster, agenda: [AgendaItem(title: "Paparan")])
        let captions = try CaptionSource.write(cues, to: folder + "/\(id).vtt")
        return IndexedSession(manifest: m, agenda: agenda, timeline: SessionTimeline(events: tags, end: 600), captions: [captions], fingerprint: "f")
    }

    func cue(_ at: Double, _ text: String, voice: String? = nil) -> Cue { Cue(start: at, end: at + 3, text: text, voice: voice) }

    func search(_ sessions: [IndexedSession], _ engine: TestEngine) async throws -> ArchiveSearch {
        let catalog = try engine.makeIndex(folder: folder)
        try await catalog.replace(sessions)
        return ArchiveSearch(index: catalog)
    }

    @Test("a title that matches is the session's header; the moment that was asked for comes first", arguments: TestEngine.all)
    func momentsFirst(engine: TestEngine) async throws {
        let search = try await search([
            try session("2024-03-01-sosialisasi", title: "Sosialisasi Pemilu 2024", description: "Sosialisasi tahapan pemilu", started: "2024-03-01T02:00:00Z",
                        cues: [cue(5, "Selamat pagi"), cue(754, "Tahapan pemilu dimulai bulan depan")]),
        ], engine)
        let result = try await search.run("pemilu")
        #expect(result.hits.first?.seconds == 754 && result.hits.allSatisfy { $0.matched == "caption" })
        #expect(result.sessions.map(\.session) == ["2024-03-01-sosialisasi"])
        #expect(Set(result.sessions[0].matched) == ["title", "description"])
    }

    @Test("an agenda item never tagged is no moment at 00:00:00 (the session's header); once tagged, it is a hit at its tag", arguments: TestEngine.all)
    func untaggedAgendaItem(engine: TestEngine) async throws {
        let untagged = try await search([
            try session("2024-05-06-pleno", title: "Rapat pleno", started: "2024-05-06T02:00:00Z", cues: [cue(5, "Selamat pagi")]),
        ], engine).run("paparan")
        #expect(untagged.hits.isEmpty, "\(untagged.hits)")
        #expect(untagged.sessions.map(\.session) == ["2024-05-06-pleno"] && untagged.sessions[0].matched == ["description"])
        let tagged = try await search([
            try session("2024-05-07-pleno", title: "Rapat pleno", started: "2024-05-07T02:00:00Z", cues: [cue(5, "Selamat pagi")],
                        tags: [SessionEvent(kind: .agenda, media: 42, value: "Paparan", agendaNumber: 1)]),
        ], engine).run("paparan")
        #expect(tagged.hits.map(\.seconds) == [42] && tagged.hits[0].matched == "agenda", "\(tagged.hits)")
    }

    @Test("words said in neighbouring cues, or split between the title and a cue, are found; far apart they are not", arguments: TestEngine.all)
    func spread(engine: TestEngine) async throws {
        let search = try await search([
            try session("2024-04-02-rapat", title: "Rapat koordinasi logistik", started: "2024-04-02T02:00:00Z",
                        cues: [cue(10, "Kita perlu bicara soal hoaks."), cue(13, "Pemilu kita harus bersih."),
                               cue(100, "Anggaran sudah cair."), cue(300, "Distribusi kotak suara")]),
        ], engine)
        let near = try await search.run("hoaks pemilu")
        #expect(near.hits.map(\.seconds) == [10] && near.hits[0].spreadOver == ["nearby"], "\(near.hits)")
        #expect(near.hits[0].snippet.contains("«hoaks»") && near.hits[0].snippet.contains("«Pemilu»"), "\(near.hits[0].snippet)")
        // 290 s apart: not one moment.
        #expect(try await search.run("hoaks distribusi").hits.allSatisfy { $0.spreadOver == nil })
        let titled = try await search.run("logistik anggaran")
        #expect(titled.hits.map(\.seconds) == [100] && titled.hits[0].spreadOver == ["session"], "\(titled.hits)")
    }

    @Test("a misspelt word is corrected from the archive's words when the query finds nothing; short words are not", arguments: TestEngine.all)
    func didYouMean(engine: TestEngine) async throws {
        let search = try await search([
            try session("2024-05-03-briefing", title: "Briefing", started: "2024-05-03T02:00:00Z",
                        cues: [cue(20, "Sosialisasi pemilihan umum kepada pemilih pemula"), cue(40, "Kita lawan hoaks bersama")]),
        ], engine)
        for (typo, intended) in [("pemilhan", "pemilihan"), ("sosialsiasi", "sosialisasi"), ("soisalisasi", "sosialisasi"), ("pemiliih", "pemilih")] {
            let result = try await search.run("\(typo) pemula")
            #expect(result.corrections == [Correction(from: typo, to: intended)], "\(typo): \(result.corrections)")
            #expect(result.hits.map(\.seconds) == [20])
        }
        // A word the archive knows is never "corrected"; a 4-letter word has too many neighbours.
        #expect(try await search.run("hoaks").corrections.isEmpty)
        let short = try await search.run("hoak")
        #expect(short.corrections.isEmpty && short.isEmpty)
    }

    @Test("abbreviations find their long forms and back; both spellings rank together", arguments: TestEngine.all)
    func abbreviations(engine: TestEngine) async throws {
        let search = try await search([
            try session("2024-06-04-dpt", title: "Rapat pleno", started: "2024-06-04T02:00:00Z",
                        cues: [cue(30, "Penetapan daftar pemilih tetap tingkat kabupaten"), cue(60, "DPT akan diumumkan"),
                               cue(90, "Informasi lewat medsos"), cue(120, "Pantau media sosial resmi KPU")]),
        ], engine)
        let dpt = try await search.run("dpt")
        #expect(Set(dpt.hits.map(\.seconds)) == [30, 60])
        #expect(dpt.expansions == [QueryExpansion.Applied(from: "dpt", to: ["daftar pemilih tetap", "depete", "de pe te"])])
        #expect(Set(try await search.run("daftar pemilih tetap").hits.map(\.seconds)) == [30, 60])
        #expect(Set(try await search.run("\"media sosial\"").hits.map(\.seconds)) == [90, 120])
        #expect(Set(try await search.run("medsos").hits.map(\.seconds)) == [90, 120])
    }

    @Test("when no moment has every word, those with most of them are shown and said to be", arguments: TestEngine.all)
    func mostWords(engine: TestEngine) async throws {
        let search = try await search([
            try session("2024-07-05-briefing", title: "Briefing", started: "2024-07-05T02:00:00Z",
                        cues: [cue(10, "Hoaks pemilu menyebar lewat pesan berantai"), cue(50, "Pemilu damai")]),
        ], engine)
        let result = try await search.run("hoaks pemilu zebra")
        #expect(result.partial && result.missing == ["zebra"])
        #expect(result.hits.first?.seconds == 10)
        #expect(try await !search.run("hoaks pemilu").partial)
    }

    @Test("--speaker matches whole words and roster aliases; voice tags name the speaker; an unknown name is said to be unknown", arguments: TestEngine.all)
    func speakers(engine: TestEngine) async throws {
        let roster = [Person(name: "Ilham Saputra", role: "Ketua", aliases: ["Pak Ketua"]), Person(name: "Ilhamsyah Putra"),
                      Person(name: "Anisha Dasuki", aliases: ["Anisha"])]
        let search = try await search([
            try session("2024-08-06-pleno", title: "Pleno", started: "2024-08-06T02:00:00Z",
                        cues: [cue(10, "Anggaran pertama"), cue(110, "Anggaran kedua"), cue(210, "Anggaran ketiga", voice: "Anisha")],
                        tags: [SessionEvent(kind: .speaker, media: 0, value: "Ilham Saputra"), SessionEvent(kind: .speaker, media: 100, value: "Ilhamsyah Putra")],
                        roster: roster),
        ], engine)
        #expect(try await search.run("anggaran", filters: SearchFilters(speaker: "ilham")).hits.map(\.seconds) == [10])
        #expect(try await search.run("anggaran", filters: SearchFilters(speaker: "pak ketua")).hits.map(\.seconds) == [10])
        let voiced = try await search.run("anggaran", filters: SearchFilters(speaker: "anisha dasuki"))
        #expect(voiced.hits.map(\.seconds) == [210] && voiced.hits[0].speaker == "Anisha Dasuki")
        await #expect(throws: UnknownFilterValue.self) { try await search.run("anggaran", filters: SearchFilters(speaker: "budi")) }
        do {
            _ = try await search.run("anggaran", filters: SearchFilters(speaker: "ilhm saputra"))
            Issue.record("an unknown speaker was searched")
        } catch let error as UnknownFilterValue {
            #expect(error.suggestions.first == "Ilham Saputra", "\(error)")
            #expect("\(error)".contains("did you mean “Ilham Saputra”"), "\(error)")
        }
        await #expect(throws: UnknownFilterValue.self) { try await search.run("anggaran", filters: SearchFilters(topic: "logistik")) }
    }

    @Test("a human caption outranks a machine transcript of the same words, however many transcript lines match", arguments: TestEngine.all)
    func humanAboveMachine(engine: TestEngine) async throws {
        var session = try session("2024-10-08-pleno", title: "Pleno", started: "2024-10-08T02:00:00Z",
                                  cues: [cue(300, "Anggaran pemilu disahkan"), cue(400, "Anggaran logistik")])
        try FileManager.default.createDirectory(atPath: folder + "/m", withIntermediateDirectories: true)
        session.captions.append(try CaptionSource.write((0..<30).map { cue(Double($0) * 5, "anggaran dibahas bagian \($0)") },
                                                        to: folder + "/m/" + Archive.machineTranscriptName))
        let search = try await search([session], engine)
        let top = try await search.run("anggaran", limit: 3, perSession: nil).hits
        #expect(top.map(\.matched) == ["caption", "caption", "transcript"], "\(top.map { "\($0.matched) \($0.seconds)" })")
        let machineOnly = try await search.run("anggaran", filters: SearchFilters(kinds: [.transcript]), limit: 50, perSession: nil).hits
        #expect(machineOnly.count == 30 && machineOnly.allSatisfy { $0.matched == "transcript" })
    }

    @Test("a catalog made by another analyzer is emptied on opening, so the next refresh indexes everything again")
    func analyzerChange() async throws {
        let path = folder + "/catalog.sqlite"
        do {
            let catalog = try SQLiteCatalog(path: path)
            try await catalog.replace([try session("2024-09-07-x", title: "X", started: "2024-09-07T02:00:00Z", cues: [cue(1, "anggaran")])])
            try await catalog.pool.write { db in try db.execute(sql: "UPDATE setting SET value = 'an-older-stemmer' WHERE name = 'analyzer'") }
        }
        let reopened = try SQLiteCatalog(path: path)
        #expect(try await reopened.indexedSessions().isEmpty)
        #expect(try await reopened.entryCount() == 0)
        let again = try SQLiteCatalog(path: path)
        try await again.replace([try session("2024-09-07-x", title: "X", started: "2024-09-07T02:00:00Z", cues: [cue(1, "anggaran")])])
        #expect(try await SQLiteCatalog(path: path).indexedSessions().count == 1, "the same analyzer keeps what it indexed")
    }

    @Test("edit distance: swaps are one edit; the limit stops early")
    func editDistance() {
        #expect(EditDistance.between("pemilu", "pemliu", limit: 2) == 1)
        #expect(EditDistance.between("pemilu", "pemilihan", limit: 2) == nil)
        #expect(EditDistance.between("sosialisasi", "sosialsiasi", limit: 2) == 1)
        #expect(EditDistance.between("kpu", "kpu", limit: 0) == 0)
        #expect(EditDistance.typosAllowed(letters: 4) == 0 && EditDistance.typosAllowed(letters: 5) == 1 && EditDistance.typosAllowed(letters: 9) == 2)
    }

    @Test("query expansion stays within the query's limits")
    func expansionLimits() throws {
        let many = try SearchQuery("dpt tps kpu pemilu bawaslu pilkada medsos juknis")
        let expanded = QueryExpansion.standard.expand(many).query
        #expect(expanded.clauses.reduce(1) { $0 * $1.count } <= SearchQuery.maximumCombinations)
        #expect(QueryExpansion.standard.expand(try SearchQuery("komisi pemilihan umum")).query.clauses
                == [[.phrase(["komisi", "pemilihan", "umum"]), .word("kpu")]])
        // Spelt-out abbreviations as speech-to-text writes them.
        #expect(QueryExpansion.standard.expand(try SearchQuery("kpu")).query.clauses
                == [[.word("kpu"), .phrase(["komisi", "pemilihan", "umum"]), .word("kapeu"), .phrase(["ka", "pe", "u"])]])
        #expect(QueryExpansion.standard.expand(try SearchQuery("bawaslu")).query.clauses[0].count == 3)
    }
}
