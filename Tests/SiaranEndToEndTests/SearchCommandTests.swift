import Foundation
import SiaranTestSupport
import Testing

/// `siaran search` and `siaran analyze` as typed: corrections, expansions, exclusions first, unknown names.
@Suite("The search command as typed", .timeLimit(.minutes(20)), .ownThreads)
struct SearchCommandTests {
    struct Output: Decodable {
        struct Correction: Decodable, Equatable { var from: String; var to: String }
        struct Hit: Decodable { var seconds: Double; var text: String; var matched: String }
        struct Session: Decodable { var session: String; var matched: [String] }
        var corrections: [Correction]
        var expansions: [[String: AnyValue]]?
        var partial: Bool
        var sessions: [Session]
        var hits: [Hit]
    }

    /// Any JSON value (expansions are checked as text).
    struct AnyValue: Decodable {
        init(from decoder: Decoder) throws {}
    }

    static func archive() throws -> (archive: String, id: String) {
        let folder = Harness.temporaryFolder("media")
        try Harness.makeFile(folder + "/briefing.mp4", seconds: 4)
        let archive = Harness.temporaryFolder("archive")
        let id = try Harness.run(["import", folder + "/briefing.mp4", "--archive", archive, "--title", "Sosialisasi Pemilu"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let vtt = folder + "/briefing.vtt"
        try """
        WEBVTT

        00:00:00.500 --> 00:00:01.500
        <v Ilham Saputra>Hoaks pemilu harus dilawan bersama.

        00:00:02.000 --> 00:00:03.000
        Pemilu damai dimulai dari daftar pemilih tetap yang akurat.

        """.write(toFile: vtt, atomically: true, encoding: .utf8)
        let attached = try Harness.run(["captions", id, vtt, "--archive", archive])
        #expect(attached.status == 0, "\(attached.stderr)")
        return (archive, id)
    }

    func json(_ archive: String, _ arguments: [String]) throws -> Output {
        let result = try Harness.run(["search"] + arguments + ["--archive", archive, "--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
    }

    @Test("a query that starts with -word is searched; a typo is corrected and said; an abbreviation is expanded")
    func typed() throws {
        let (archive, _) = try Self.archive()
        let excluded = try Harness.run(["search", "-hoaks pemilu", "--archive", archive])
        #expect(excluded.status == 0 && excluded.stdout.contains("damai") && !excluded.stdout.contains("dilawan"), "\(excluded.stdout)\(excluded.stderr)")
        #expect(try json(archive, ["--limit", "5", "-hoaks pemilu"]).hits.map(\.seconds) == [2])

        let typo = try json(archive, ["pemliu damai"])
        #expect(typo.corrections == [.init(from: "pemliu", to: "pemilu")] && typo.hits.map(\.seconds) == [2])
        let said = try Harness.run(["search", "pemliu damai", "--archive", archive])
        #expect(said.stdout.contains("did you mean: pemliu → pemilu"), "\(said.stdout)")

        #expect(try json(archive, ["DPT"]).hits.map(\.seconds) == [2])
        let analyzed = try Harness.run(["analyze", "DPT"])
        #expect(analyzed.stdout.contains("also searched: dpt → “daftar pemilih tetap”"), "\(analyzed.stdout)")

        // The title is the session's header, not a moment at 00:00:00.
        let pemilu = try json(archive, ["pemilu"])
        #expect(pemilu.sessions.first?.matched == ["title"] && pemilu.hits.allSatisfy { $0.matched == "caption" })
    }

    @Test("--speaker: a voice tag names the speaker; an unknown speaker is an error that says so")
    func speakers() throws {
        let (archive, _) = try Self.archive()
        #expect(try json(archive, ["hoaks", "--speaker", "ilham"]).hits.map(\.seconds) == [0.5])
        let unknown = try Harness.run(["search", "hoaks", "--speaker", "ilhm", "--archive", archive])
        #expect(unknown.status == 1 && unknown.stderr.contains("no speaker called “ilhm”"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("did you mean “Ilham Saputra”"), "\(unknown.stderr)")
    }
}
