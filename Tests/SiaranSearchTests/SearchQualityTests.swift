import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Testing

/// Search quality on the evaluation set in `Tests/SiaranSearchTests/Evaluation/` (issue 13; see its
/// README.md): the same data files as `Scripts/bench-search-quality`, built into an archive in a
/// temporary folder and indexed in process.
///
/// Each figure is asserted at the issue's target (a ceiling for counts of wrong hits), so a change
/// that makes search worse fails here: p@1 >= 0.8 on the judged queries, >= 90% of one-typo queries
/// answered with the intended word (did-you-mean), every spelling of an abbreviation or variant found,
/// no known wrong merge among the lexicalised look-alikes. Searches go through `ArchiveSearch`, as
/// `siaran search` does.
@Suite("Search quality (evaluation set)")
struct SearchQualityTests {
    // Measured when the set was written (confix stemmer in, before did-you-mean, expansions and
    // session headers): p@1 36/58 = 0.62, typos 0/40, variant recall 0.728, no look-alike cue found
    // (the Snowball stemmer alone found 168). With `ArchiveSearch`: p@1 0.95, typos 0.975, recall 0.955
    // before number words and the last abbreviations.
    static let judgedPrecisionAt1Floor = 0.8
    static let typosAnsweredFloor = 0.9
    static let variantRecallFloor = 1.0
    static let lookalikeWrongMergesCeiling = 0

    @Test("judged queries: the moment asked for comes first (precision at 1)")
    func judged() async throws {
        let set = try await Shared.evaluation.value
        var firstCorrect = 0
        var failing: [String] = []
        for item in set.judged {
            let hits = try await set.search.run(item.query, limit: 20, perSession: 3).hits
            let rank = hits.firstIndex { hit in item.relevant.contains { $0.covers(hit) } }.map { $0 + 1 }
            if rank == 1 { firstCorrect += 1 } else {
                failing.append("\(item.query) (\(item.kind)): correct at \(rank.map(String.init) ?? "-"); first: "
                               + (hits.first.map { "\($0.session.prefix(10)) \($0.moment) [\($0.matched)]" } ?? "nothing"))
            }
        }
        let p1 = Double(firstCorrect) / Double(set.judged.count)
        report("judged p@1 \(format(p1)) (floor \(Self.judgedPrecisionAt1Floor), target 0.8)", failing)
        #expect(p1 >= Self.judgedPrecisionAt1Floor, "p@1 \(p1) fell below its floor; not first: \(failing.joined(separator: "; "))")
    }

    @Test("one-typo queries find the intended word")
    func typos() async throws {
        let set = try await Shared.evaluation.value
        // Answered: corrected to the intended word, and hits found.
        var answered = 0
        var failing: [String] = []
        for (typo, intended) in set.typos {
            let result = try await set.search.run(typo, limit: 20, perSession: 3)
            if result.corrections.contains(where: { $0.to == intended }) && !result.hits.isEmpty { answered += 1 } else {
                failing.append("\(typo) (for \(intended)): corrected to \(result.corrections.map(\.to)), \(result.hits.count) hits")
            }
        }
        let share = Double(answered) / Double(set.typos.count)
        report("typos answered \(format(share)) (floor \(Self.typosAnsweredFloor), target 0.9)", failing)
        #expect(share >= Self.typosAnsweredFloor)
    }

    @Test("abbreviations and spelling variants find every spelling")
    func variants() async throws {
        let set = try await Shared.evaluation.value
        var found = 0, wanted = 0
        var failing: [String] = []
        for variant in set.variants {
            let want = Set(set.cues.filter { cue in variant.forms.contains { Evaluation.contains(cue.folded, $0) } }.map(\.key))
            let got = try await set.cuesFound(by: variant.query)
            found += want.intersection(got).count
            wanted += want.count
            if !want.isSubset(of: got) { failing.append("\(variant.query): \(want.intersection(got).count)/\(want.count)") }
        }
        let recall = Double(found) / Double(max(1, wanted))
        report("variant recall \(format(recall)) (floor \(Self.variantRecallFloor), target 1.0)", failing)
        #expect(recall >= Self.variantRecallFloor)
    }

    @Test("lexicalised words do not find their look-alikes (masalah is not masa)")
    func lookalikes() async throws {
        let set = try await Shared.evaluation.value
        var wrong = 0
        var failing: [String] = []
        for item in set.lookalikes {
            let own = Set(set.cues.filter { cue in item.family.contains { Evaluation.contains(cue.folded, $0) } }.map(\.key))
            let traps = Set(set.cues.filter { cue in item.traps.contains { Evaluation.contains(cue.folded, $0) } }.map(\.key)).subtracting(own)
            let got = try await set.cuesFound(by: item.query)
            let merged = got.intersection(traps).count
            wrong += merged
            if merged > 0 { failing.append("\(item.query): \(merged) look-alike cues among \(got.count) hits") }
        }
        report("look-alike cues found \(wrong) (ceiling \(Self.lookalikeWrongMergesCeiling), target 0)", failing)
        #expect(wrong <= Self.lookalikeWrongMergesCeiling)
    }

    @Test("the evaluation data is consistent: typos are one edit from a word of the archive, judged moments are cues")
    func data() async throws {
        let set = try await Shared.evaluation.value
        #expect(set.cues.count > 400 && set.judged.count >= 25 && set.typos.count >= 30 && set.variants.count >= 15)
        let words = Set(set.cues.flatMap { $0.folded.split { !$0.isLetter && !$0.isNumber }.map(String.init) })
        for (typo, intended) in set.typos {
            #expect(words.contains(intended) && !words.contains(typo) && Evaluation.edits(typo, intended) == 1, "\(typo) → \(intended)")
        }
        for item in set.judged {
            for moment in item.relevant {
                #expect(set.cues.contains { $0.session == moment.session && $0.start >= moment.from - 0.01 && $0.start <= moment.to },
                        "\(item.query): no cue at \(moment.session) \(moment.from)")
            }
        }
    }

    func report(_ headline: String, _ failing: [String]) {
        print("search quality: " + headline + (failing.isEmpty ? "" : "; failing:\n  " + failing.joined(separator: "\n  ")))
    }

    func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// The archive and index, built once for all the tests of the suite.
enum Shared {
    static let evaluation = Task { try await Evaluation.build() }
}

/// The evaluation set: its data files, and the archive built from them.
struct Evaluation: Sendable {
    struct Cue: Sendable {
        var session: String
        var start: Double
        var end: Double
        var text: String
        var folded: String
        var key: String { "\(session)@\(Int((start * 1000).rounded()))" }
    }
    struct Moment: Sendable, Decodable {
        var session: String
        var from: Double
        var to: Double
        enum CodingKeys: String, CodingKey { case session, from, to }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            session = try c.decode(String.self, forKey: .session)
            from = Evaluation.seconds(try c.decode(String.self, forKey: .from))
            to = Evaluation.seconds(try c.decode(String.self, forKey: .to))
        }
        /// Judged correct: same session, within the judged range widened by 1.5 s.
        func covers(_ hit: SearchHit) -> Bool { hit.session == session && hit.seconds >= from - 1.5 && hit.seconds <= to + 1.5 }
    }
    struct Judged: Sendable, Decodable { var query: String; var kind: String; var relevant: [Moment] }
    struct Variant: Sendable, Decodable { var query: String; var forms: [String] }
    struct Lookalike: Sendable, Decodable { var query: String; var family: [String]; var traps: [String] }

    var cues: [Cue]
    var judged: [Judged]
    var typos: [(String, String)]
    var variants: [Variant]
    var lookalikes: [Lookalike]
    var index: any SearchIndex
    /// Searches as `siaran search` does.
    var search: ArchiveSearch { ArchiveSearch(index: index) }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Evaluation").path

    static func build() async throws -> Evaluation {
        let archive = Archive(path: TestFolder.make("search-quality"))
        var cues: [Cue] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/sessions").filter { $0.hasSuffix(".txt") }.sorted()
        for name in names {
            cues += try writeSession(String(contentsOfFile: folder + "/sessions/" + name, encoding: .utf8), to: archive)
        }
        let index = try await TestCatalog.refresh(archive)
        let decoder = JSONDecoder()
        let read = { (name: String) in try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) }
        let typos = try String(contentsOfFile: folder + "/typos.txt", encoding: .utf8).split(separator: "\n").compactMap { line -> (String, String)? in
            let words = line.prefix { $0 != "#" }.split(separator: " ")
            return words.count >= 2 ? (fold(String(words[0])), fold(String(words[1]))) : nil
        }
        return Evaluation(cues: cues, judged: try decoder.decode([Judged].self, from: read("judged.json")), typos: typos,
                          variants: try decoder.decode([Variant].self, from: read("variants.json")),
                          lookalikes: try decoder.decode([Lookalike].self, from: read("lookalikes.json")), index: index)
    }

    /// Writes one session file of the set as a session folder (manifest, agenda, events, captions),
    /// as Scripts/bench-search-quality does, and returns its cues.
    static func writeSession(_ text: String, to archive: Archive) throws -> [Cue] {
        var header: [String: String] = [:]
        var speakers: [Person] = [], participants: [Person] = [], items: [AgendaItem] = []
        var cues: [(Double, Double, String)] = []
        var events: [(Double, String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            if line.first?.isNumber == true, parts.count == 3 {
                if parts[1].hasPrefix("@") {
                    events.append((seconds(parts[0]), String(parts[1].dropFirst()), parts[2]))
                } else {
                    cues.append((seconds(parts[0]), seconds(parts[1]), parts[2]))
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let fields = value.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let field = { (i: Int) in i < fields.count && !fields[i].isEmpty ? fields[i] : nil }
            switch key {
            case "speaker", "participant":
                let person = Person(name: fields[0], role: field(1), organisation: field(2),
                                    aliases: (field(3) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                if key == "speaker" { speakers.append(person) } else { participants.append(person) }
            case "agenda": items.append(AgendaItem(title: fields[0], description: field(1)))
            default: header[key] = value
            }
        }
        let id = header["id"]!, title = header["title"]!
        let started = ISO8601DateFormatter().date(from: header["started"]!)!
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        var manifest = SessionManifest(id: id, title: title, kind: .imported, source: "evaluation", createdAt: started,
                                       segmentFormat: "ts", targetSegmentDuration: 6)
        manifest.startedAt = started
        manifest.endedAt = started
        manifest.state = .complete
        manifest.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: (cues.last?.1 ?? 1) + 2,
                                           wallClockStart: started, bytes: 0, discontinuity: false)]
        try archive.saveManifest(manifest)
        try archive.saveAgenda(Agenda(title: title, organiser: header["organiser"], date: String(header["started"]!.prefix(10)),
                                      description: header["description"], language: "id", speakers: speakers,
                                      participants: participants, agenda: items), of: id)
        let encoder = JSONCoding.encoder(pretty: false)
        var log = Data()
        for (n, (at, kind, value)) in events.enumerated() {
            let number = kind == "agenda" ? Int(value) : nil
            let event = SessionEvent(id: String(format: "e%04d", n), kind: SessionEvent.Kind(rawValue: kind)!, media: at,
                                     value: number.map { items[$0 - 1].title } ?? value, agendaNumber: number,
                                     onRoster: kind == "speaker" ? (speakers + participants).contains { $0.name == value } : nil,
                                     recordedAt: started)
            log.append(try encoder.encode(event))
            log.append(0x0A)
        }
        try log.write(to: URL(fileURLWithPath: archive.eventsPath(of: id)))
        // The WebVTT text as written (voice tags and all), as a caption import would leave it.
        let vtt = "WEBVTT\n\n" + cues.map { "\(WebVTTTime.string($0.0)) --> \(WebVTTTime.string($0.1))\n\($0.2)\n" }.joined(separator: "\n")
        try vtt.write(toFile: archive.captionsDirectory(of: id) + "/01-transcript.vtt", atomically: true, encoding: .utf8)
        return cues.map { Cue(session: id, start: $0.0, end: $0.1, text: $0.2, folded: fold($0.2)) }
    }

    /// The archive cues among a query's caption hits (no limit worth the name, no crowding).
    func cuesFound(by query: String) async throws -> Set<String> {
        let hits = try await search.run(query, limit: 1000, perSession: nil).hits
        return Set(hits.filter { $0.matched == "caption" }.compactMap { hit in
            cues.filter { $0.session == hit.session }.min { abs($0.start - hit.seconds) < abs($1.start - hit.seconds) }
                .flatMap { abs($0.start - hit.seconds) <= 0.25 ? $0.key : nil }
        })
    }

    static func seconds(_ text: String) -> Double {
        text.split(separator: ":").reduce(0.0) { $0 * 60 + (Double($1) ?? 0) }
    }

    /// Lower case, no diacritics, no WebVTT markup.
    static func fold(_ text: String) -> String {
        var plain = ""
        var inTag = false
        for c in text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { plain.append(c) }
        }
        return plain.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            .replacingOccurrences(of: "\u{2019}", with: "'")
    }

    /// Whether folded `text` holds `form` as whole words.
    static func contains(_ text: String, _ form: String) -> Bool {
        let needle = fold(form)
        let isWordChar = { (c: Character) in c.isNumber || ("a"..."z").contains(c) }
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: needle, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !(before.map(isWordChar) ?? false) && !(after.map(isWordChar) ?? false) { return true }
            searchRange = text.index(after: found.lowerBound)..<text.endIndex
        }
        return false
    }

    /// Optimal string alignment distance (a transposition is one edit).
    static func edits(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var d = (0...a.count).map { i in (0...b.count).map { j in i == 0 ? j : (j == 0 ? i : 0) } }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

/// WebVTT timestamps (HH:MM:SS.mmm).
enum WebVTTTime {
    static func string(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded())
        return String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000)
    }
}
