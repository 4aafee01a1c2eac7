import Foundation
import Logging
import SiaranArchive
@testable import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// "Did you mean" on the shared catalog reads only the words that can be near the typed one
/// (`TypoNeighbours`, schema v6's `term_word`) and offers what reading every word offered: the same
/// candidates in the same order, only words the office may see, through an upgrade from v5.
@Suite("Typo neighbours")
struct TypoNeighbourTests {
    let folder = TestFolder.make("typo-neighbours")

    /// Every string over `letters` of `lengths`.
    static func strings(over letters: [UInt8], lengths: ClosedRange<Int>) -> [[UInt8]] {
        var all: [[UInt8]] = [[]]
        var found: [[UInt8]] = []
        for length in 1...lengths.upperBound {
            all = all.flatMap { s in letters.map { s + [$0] } }
            if lengths.contains(length) { found += all }
        }
        return found
    }

    @Test("every string within the allowed edits is a candidate: one edit among the strings one edit away, two within the ranges")
    func candidatesHoldEveryNearString() throws {
        var measurer = EditDistance.Measurer()
        typealias Ranges = (beginnings: Set<[UInt8]>, endings: Set<[UInt8]>)
        func ranges(_ word: String) throws -> Ranges {
            let both = try #require(TypoNeighbours(word, maxDistance: 2)).twoEditRanges
            return (Set(both.beginnings.map { Array($0.utf8) }), Set(both.endings.map { Array($0.utf8) }))
        }
        func covered(_ t: [UInt8], by ranges: Ranges) -> Bool {
            let reversed = Array(t.reversed())
            return (0...t.count).contains { ranges.beginnings.contains(Array(t[..<$0])) || ranges.endings.contains(Array(reversed[..<$0])) }
        }
        // Every string over a few letters (repeats and neighbours alike make swaps and doubled letters).
        for word in ["abcab", "aabba", "cabbac", "abacaba", "abcabcab"] {
            let near = try #require(TypoNeighbours(word, maxDistance: 1))
            let candidates = Set(near.oneEditWords)
            let w = Array(word.utf8)
            for t in Self.strings(over: Array("abc".utf8), lengths: word.count - 1...word.count + 1) where t != w {
                if measurer.distance(w, t, limit: 1) != nil { #expect(candidates.contains(String(decoding: t, as: UTF8.self)), "\(word) → \(t)") }
            }
        }
        for (word, letters) in [("abcab", "abc"), ("abacab", "abc"), ("abaabbaba", "ab"), ("bbabaabab", "ab"), ("aababbaabb", "ab")] {
            let ranges = try ranges(word)
            let w = Array(word.utf8)
            var near = 0
            for t in Self.strings(over: Array(letters.utf8), lengths: word.count - 2...word.count + 2) where measurer.distance(w, t, limit: 2) != nil {
                near += 1
                #expect(covered(t, by: ranges), "\(word) → \(String(decoding: t, as: UTF8.self))")
            }
            #expect(near > 50)
        }
        // A long word, with the whole alphabet: every string two edits away (the first edit, then another).
        let long = "informasi"
        let longRanges = try ranges(long)
        for v in TypoNeighbours.oneEditAway(Array(long.utf8)) {
            for t in TypoNeighbours.oneEditAway(v) where !covered(t, by: longRanges) { Issue.record("\(long) → \(String(decoding: t, as: UTF8.self))") }
        }
        // A letter of two bytes (é) for none, one or two of the word's letters, anywhere: within two byte edits, covered.
        for start in 0...long.utf8.count {
            for width in 0...2 where start + width <= long.utf8.count {
                var t = Array(long.utf8)
                t.replaceSubrange(start..<start + width, with: Array("é".utf8))
                #expect(measurer.distance(Array(long.utf8), t, limit: 2) != nil && covered(t, by: longRanges), "\(String(decoding: t, as: UTF8.self))")
            }
        }
        // Words of other letters, or too short, or more edits: read as before.
        #expect(TypoNeighbours("pemilú", maxDistance: 1) == nil && TypoNeighbours("pemi", maxDistance: 2) == nil && TypoNeighbours("pemilu", maxDistance: 3) == nil)
        // A pasted run of letters reads the words of a near length, never its own candidates.
        #expect(TypoNeighbours(String(repeating: "a", count: TypoNeighbours.longest), maxDistance: 2) != nil)
        #expect(TypoNeighbours(String(repeating: "a", count: TypoNeighbours.longest + 1), maxDistance: 2) == nil)
        #expect(TypoNeighbours.after("pemz") == "pem{" && TypoNeighbours.after("ab9") == "ab:")
    }

    func session(_ id: String, _ lines: [String], day: Int = 0) throws -> IndexedSession {
        let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(day) * 86_400)
        var m = SessionManifest(id: id, title: "Rapat \(id)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "0.ts", mediaStart: 0, duration: 900, wallClockStart: date, bytes: 1, discontinuity: false)]
        let cues = lines.enumerated().map { Cue(start: Double($0.offset * 5), end: Double($0.offset * 5 + 4), text: $0.element) }
        let captions = try CaptionSource.write(cues, to: folder + "/\(id).vtt")
        return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 900), captions: [captions], fingerprint: id)
    }

    /// Words of 5–8 letters (one typo) and of 9 and more (two), with neighbours of their own at one and
    /// two edits, each said a different number of times (so the order by rows is decided).
    static let vocabulary = ["pemilu", "pemilih", "pemilik", "memilih", "pemula", "kampanye", "hoaks", "logistik", "daftar", "tetap", "anggaran",
                             "angaran", "sosialisasi", "sosialisai", "rekapitulasi", "kabupaten", "informasi", "informatika", "mensosialisasikan",
                             "pemungutan", "penghitungan", "perhitungan", "kotak", "kotah", "suara", "saura"]

    func sessions() throws -> [IndexedSession] {
        var lines: [String] = []
        for (n, word) in Self.vocabulary.enumerated() {
            for i in 0..<(n % 7 + 1) { lines.append("\(word) rapat \(i)") }
        }
        return [try session("t1", Array(lines.prefix(lines.count / 2)), day: 1), try session("t2", Array(lines.suffix(from: lines.count / 2)), day: 2)]
    }

    /// Typos of `word`: a substitution, an insertion, a deletion and a swap at its start, middle and end;
    /// for 9 letters and more, also two of them (at both ends, and side by side in the middle).
    static func typos(of word: String) -> [String] {
        let w = Array(word)
        let n = w.count
        func one(_ s: [Character], at i: Int) -> [[Character]] {
            var sub = s, ins = s, del = s, swap = s
            sub[i] = sub[i] == "x" ? "q" : "x"
            ins.insert("x", at: i)
            del.remove(at: i)
            let j = min(i, s.count - 2)
            swap.swapAt(j, j + 1)
            return [sub, ins, del, swap]
        }
        var found: [[Character]] = []
        for i in [0, n / 2, n - 1] { found += one(w, at: i) }
        if n >= 9 {
            for first in one(w, at: 0) { found += one(first, at: first.count - 1) }
            for first in one(w, at: n / 2) { found += one(first, at: n / 2 + 1) }
        }
        return Array(Set(found.map { String($0) })).sorted()
    }

    @Test("the corrections of typos of 5–8 and 9+ letters (at the start, middle and end, at exactly the allowed edits) are those of reading every word, and SQLite's where SQLite reads the word")
    func sameCorrections() async throws {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let url = try PostgresTestCluster.newDatabase()
        let postgres = try PostgresCatalog(url: url, logger: logger)
        let sessions = try sessions()
        try await postgres.replace(sessions)
        let sqlite = try TestEngine.sqlite.makeIndex(folder: folder + "/sqlite")
        try await sqlite.replace(sessions)
        // What reading every word found (the statement before v6): every indexed word with its rows, measured here.
        let listed = try PostgresTestCluster.sql(url, "SELECT string_agg(token || ':' || total, ',') FROM (SELECT token, sum(exact_docs) AS total FROM term WHERE exact_docs > 0 GROUP BY token) t")
        let counts = listed.split(separator: ",").map { part in
            let pair = part.split(separator: ":")
            return (String(pair[0]), Int(pair[1])!)
        }
        func nearest(_ typo: String, _ allowed: Int, among words: [(String, Int)]) -> [IndexedWord] {
            var measurer = EditDistance.Measurer()
            let found = words.compactMap { word, rows -> IndexedWord? in
                guard abs(word.unicodeScalars.count - typo.unicodeScalars.count) <= allowed,
                      let d = measurer.distance(Array(typo.utf8), Array(word.utf8), limit: allowed), d > 0 else { return nil }
                return IndexedWord(word: word, rows: rows, distance: d)
            }
            return found.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.rows != $1.rows ? $0.rows > $1.rows : $0.word < $1.word }
        }
        var checked = 0, sqliteElsewhere: [String] = []
        for word in Self.vocabulary where word.count >= 5 {
            for typo in Self.typos(of: word) where !Self.vocabulary.contains(typo) {
                let allowed = EditDistance.typosAllowed(letters: typo.unicodeScalars.count)
                guard allowed > 0 else { continue }
                let every = nearest(typo, allowed, among: counts)
                let found = try await postgres.similarWords(to: typo, maxDistance: allowed, limit: 8)
                #expect(found == Array(every.prefix(8)), "\(typo): \(found) against \(every)")
                // SQLite reads the words beginning with the typo's first or second letter (all of them for two
                // typos when none is near): a typo of a word's first letter is found by PostgreSQL alone.
                let starts = Set(typo.prefix(2))
                let begun = every.filter { starts.contains($0.word.first!) }
                let sqliteReads = begun.isEmpty && allowed >= 2 ? every : begun
                #expect(try await sqlite.similarWords(to: typo, maxDistance: allowed, limit: 8) == Array(sqliteReads.prefix(8)), "\(typo)")
                if sqliteReads.first?.word != every.first?.word { sqliteElsewhere.append(typo) }
                checked += 1
            }
        }
        #expect(checked > 150)
        // Whole searches: the correction is the nearest, most said word, as before.
        for typo in ["pemilx", "xemilu", "kampamye", "anggraan", "rekapitulaxx", "xosialisasy", "nformasi", "informsai"] {
            let allowed = EditDistance.typosAllowed(letters: typo.count)
            let result = try await ArchiveSearch(index: postgres).run(typo, now: Date())
            #expect(result.corrections.map(\.to) == [nearest(typo, allowed, among: counts).first!.word] && !result.hits.isEmpty, "\(typo): \(result.corrections)")
        }
        print("typo neighbours: \(checked) typos; SQLite offers another word (or none) for \(sqliteElsewhere.count): \(sqliteElsewhere.prefix(12))")
    }

    @Test("an office's role is offered no word only another office holds, and reads none from the word list; the national role is offered every office's")
    func officesSeeTheirWords() async throws {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let url = try PostgresTestCluster.newDatabase()
        let lolakRole = try PostgresTestCluster.newRole("lolak"), bogorRole = try PostgresTestCluster.newRole("bogor"), pusatRole = try PostgresTestCluster.newRole("pusat")
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: logger)
        try await owner.addOffice("lolak", role: lolakRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("bogor", role: bogorRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: pusatRole, seesAll: true, mediaURL: nil)
        let lolak = try PostgresCatalog(url: PostgresTestCluster.url(url, as: lolakRole), office: "lolak", logger: logger)
        let bogor = try PostgresCatalog(url: PostgresTestCluster.url(url, as: bogorRole), office: "bogor", logger: logger)
        let national = try PostgresCatalog(url: PostgresTestCluster.url(url, as: pusatRole), office: "pusat", logger: logger)
        try await lolak.replace([try session("l1", ["anggaran pemilu lolak", "logistik kampanye"])])
        try await bogor.replace([try session("b1", ["rekapitulasi suara bogor", "kotak suara tersegel", "logistik kampanye"])])

        // One typo (5–8 letters, `term`'s key) and two (9+, `term_word`), of words Bogor alone holds, and of one both hold.
        for (typo, allowed, word) in [("kotaj", 1, "kotak"), ("rekapitulasu", 2, "rekapitulasi"), ("rekapiyulasu", 2, "rekapitulasi")] {
            #expect(try await lolak.similarWords(to: typo, maxDistance: allowed, limit: 8).isEmpty, "\(typo)")
            #expect(try await national.viewed(by: "lolak").similarWords(to: typo, maxDistance: allowed, limit: 8).isEmpty, "\(typo)")
            #expect(try await bogor.similarWords(to: typo, maxDistance: allowed, limit: 8).map(\.word) == [word], "\(typo)")
            #expect(try await national.similarWords(to: typo, maxDistance: allowed, limit: 8).map(\.word) == [word], "\(typo)")
        }
        #expect(try await lolak.similarWords(to: "logistix", maxDistance: 2, limit: 8) == [IndexedWord(word: "logistik", rows: 1, distance: 1)])
        #expect(try await national.similarWords(to: "logistix", maxDistance: 2, limit: 8) == [IndexedWord(word: "logistik", rows: 2, distance: 1)])
        // Typed by hand with Lolak's role: only its own words are listed.
        let lolakSQL = PostgresTestCluster.url(url, as: lolakRole)
        #expect(try PostgresTestCluster.sql(lolakSQL, "SELECT count(*) FROM term_word WHERE token IN ('rekapitulasi', 'kotak', 'bogor')") == "0")
        #expect(try PostgresTestCluster.sql(lolakSQL, "SELECT count(*) FROM term_word WHERE token IN ('anggaran', 'logistik')") == "2")
        #expect(throws: (any Error).self) { try PostgresTestCluster.sql(lolakSQL, "INSERT INTO term_word VALUES ('x', 'x')") }
        // Shared with Lolak, Bogor's words are offered to it.
        try await bogor.share(session: "*", with: "lolak")
        #expect(try await lolak.similarWords(to: "rekapitulasu", maxDistance: 2, limit: 8).map(\.word) == ["rekapitulasi"])
    }

    @Test("a push waits for no other office's open push, though both bring the same new word")
    func pushesDoNotWait() async throws {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let url = try PostgresTestCluster.newDatabase()
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: logger)
        let lolakRole = try PostgresTestCluster.newRole("lolak"), bogorRole = try PostgresTestCluster.newRole("bogor")
        try await owner.addOffice("lolak", role: lolakRole, seesAll: false, mediaURL: nil)
        try await owner.addOffice("bogor", role: bogorRole, seesAll: false, mediaURL: nil)
        let lolak = try PostgresCatalog(url: PostgresTestCluster.url(url, as: lolakRole), office: "lolak", logger: logger)
        let bogor = try PostgresCatalog(url: PostgresTestCluster.url(url, as: bogorRole), office: "bogor", logger: logger)
        let first = try session("l1", ["penghitungan suara ulang"]), second = try session("b1", ["penghitungan suara ulang"])
        // Lolak's push stays open (not committed) while Bogor pushes the same new words.
        let pushed = Pushed()
        let bogorPush = Task {
            try await bogor.replace([second])
            await pushed.done()
        }
        try await lolak.write("test") { connection in
            try await lolak.replace([first], freshAfter: nil, on: connection)
            for _ in 0..<200 where !(await pushed.finished) { try await Task.sleep(for: .milliseconds(100)) }
            let finished = await pushed.finished
            #expect(finished, "Bogor's push waited for Lolak's open one")
        }
        try await bogorPush.value
        #expect(try await owner.similarWords(to: "penghitungam", maxDistance: 2, limit: 8) == [IndexedWord(word: "penghitungan", rows: 2, distance: 1)])
        // The word may be listed twice (each push saw it missing); it is offered once.
        #expect(["1", "2"].contains(try PostgresTestCluster.sql(url, "SELECT count(*) FROM term_word WHERE token = 'penghitungan'")))
    }

    @Test("a catalog at schema v5 is upgraded to v6: its words listed, its corrections and searches unchanged, pushes listing new words")
    func upgradeFromV5() async throws {
        var logger = Logger(label: "siaran.catalog.test")
        logger.logLevel = .critical
        let url = try PostgresTestCluster.newDatabase()
        let role = try PostgresTestCluster.newRole("lolak")
        let owner = try PostgresCatalog(url: url, office: "pusat", logger: logger)
        try await owner.addOffice("lolak", role: role, seesAll: false, mediaURL: nil)
        let lolak = try PostgresCatalog(url: PostgresTestCluster.url(url, as: role), office: "lolak", logger: logger)
        try await lolak.replace(try sessions())
        let typos = ["pemilx", "rekapitulaxx", "xosialisasy", "informsai"]
        var before: [[IndexedWord]] = []
        for typo in typos { before.append(try await lolak.similarWords(to: typo, maxDistance: EditDistance.typosAllowed(letters: typo.count), limit: 8)) }
        let hits = try await ArchiveSearch(index: lolak).run("rekapitulasi pemilu", now: Date()).hits.map(\.seconds)
        // Back to v5 as it was: no word list, no triggers.
        try PostgresTestCluster.sql(url, "DROP TABLE term_word; DROP FUNCTION siaran_note_words() CASCADE; DELETE FROM siaran_schema WHERE version = 6")
        #expect(try PostgresTestCluster.sql(url, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'term'::regclass AND NOT tgisinternal") == "0")

        // The owner's Siaran upgrades it; the office's role, which cannot, then reads and pushes.
        _ = try await PostgresCatalog(url: url, office: "pusat", logger: logger).status()
        #expect(try PostgresTestCluster.sql(url, "SELECT max(version) FROM siaran_schema") == "6")
        #expect(try PostgresTestCluster.sql(url, "SELECT (SELECT count(DISTINCT token) FROM term WHERE exact_docs > 0) = (SELECT count(*) FROM term_word)") == "t")
        let said = CapturedLines()
        let upgraded = try PostgresCatalog(url: PostgresTestCluster.url(url, as: role), office: "lolak",
                                           logger: Logger(label: "siaran.catalog.test") { _ in CapturingLogHandler(lines: said) })
        for (typo, found) in zip(typos, before) {
            #expect(try await upgraded.similarWords(to: typo, maxDistance: EditDistance.typosAllowed(letters: typo.count), limit: 8) == found, "\(typo)")
        }
        #expect(before.allSatisfy { !$0.isEmpty })
        #expect(try await ArchiveSearch(index: upgraded).run("rekapitulasi pemilu", now: Date()).hits.map(\.seconds) == hits)
        #expect(try await ArchiveSearch(index: upgraded).run("rekapitulaxx", now: Date()).corrections.map(\.to) == ["rekapitulasi"])
        // A word first pushed after the upgrade is listed and offered.
        try await upgraded.replace([try session("t3", ["verifikasi faktual partai"], day: 3)])
        #expect(try await upgraded.similarWords(to: "verifikasu", maxDistance: 2, limit: 8).map(\.word) == ["verifikasi"])
        // An office added by a Siaran knowing only v5 is not granted the word list: its typos of 9+ letters
        // read the words of a near length instead, with the same corrections.
        try PostgresTestCluster.sql(url, "REVOKE SELECT ON term_word FROM \(role)")
        #expect(throws: (any Error).self) { try PostgresTestCluster.sql(PostgresTestCluster.url(url, as: role), "SELECT count(*) FROM term_word") }
        for (typo, found) in zip(typos, before) {
            #expect(try await upgraded.similarWords(to: typo, maxDistance: EditDistance.typosAllowed(letters: typo.count), limit: 8) == found, "\(typo)")
        }
        #expect(try await upgraded.similarWords(to: "verifikasu", maxDistance: 2, limit: 8).map(\.word) == ["verifikasi"])
        // Said in the log once, not at each search, with what to do.
        #expect(said.count("may not read term_word") == 1, "\(said.text)")
        #expect(said.text.contains("siaran catalog office NAME --role ROLE"))
    }
}

/// Whether a push running beside another has finished.
private actor Pushed {
    var finished = false
    func done() { finished = true }
}
