import Foundation
import Logging
import SiaranArchive
import SiaranCatalogPostgres
import SiaranCore
import SiaranSearch
import SiaranTestSupport
import Synchronization
import Testing

/// Searches read from a streaming replica of the shared catalog (a hot standby made with
/// `pg_basebackup -R` on another loopback port) while it answers and keeps up; the primary answers
/// while it is stopped or lags, and the replica takes over again once it recovers.
@Suite("Shared catalog read replica")
struct ReadReplicaTests {
    func session(_ id: String, _ lines: [String], in folder: String) throws -> IndexedSession {
        let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(id.hashValue & 0xffff))
        var m = SessionManifest(id: id, title: "Rapat \(id)", kind: .imported, source: "x.mp4", createdAt: date, segmentFormat: "ts", targetSegmentDuration: 6)
        m.startedAt = date
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "0.ts", mediaStart: 0, duration: 600, wallClockStart: date, bytes: 1, discontinuity: false)]
        let cues = lines.enumerated().map { Cue(start: Double($0.offset * 10), end: Double($0.offset * 10 + 8), text: $0.element) }
        let captions = try CaptionSource.write(cues, to: folder + "/\(id).vtt")
        return IndexedSession(manifest: m, agenda: nil, timeline: SessionTimeline(events: [], end: 600), captions: [captions], fingerprint: id)
    }

    func sessions(_ index: any SearchIndex, _ text: String, filters: SearchFilters = SearchFilters()) async throws -> Set<String> {
        let result = try await ArchiveSearch(index: index).run(text, filters: filters, limit: 50, perSession: 10, now: Date())
        return Set(result.hits.map(\.session))
    }

    /// Searches until `routing` has an answer from `server` (at most 10 s): the first looks after a
    /// change may still go to the other server.
    func searchUntil(_ server: PostgresReadRouting.Server, _ routing: PostgresReadRouting, _ index: any SearchIndex, _ text: String) async throws -> Set<String> {
        let until = Date(timeIntervalSinceNow: 10)
        while true {
            let before = routing.answers(from: server)
            let found = try await sessions(index, text)
            if routing.answers(from: server) > before || Date() > until { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// How long a search may take on the replica here before the primary is asked (see `routing()`).
    static let deadline = 8.0

    @Test("searches read from the replica under row-level security; a lagging or stopped replica sends them to the primary (said once), and they come back")
    func routing() async throws {
        let folder = TestFolder.make("replica")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let started = Date()
        let primary = try PostgresTestCluster.isolated()
        defer { primary.stop() }
        let standby = try primary.standby()
        defer { standby.stop() }
        let setUp = Date().timeIntervalSince(started)
        let url = try primary.newDatabase()
        try PostgresTestCluster.sql(url, "CREATE ROLE jakarta_r LOGIN; CREATE ROLE pusat_r LOGIN")
        var quiet = Logger(label: "siaran.catalog.test")
        quiet.logLevel = .critical
        let owner = try PostgresCatalog(url: url, office: "bandung", logger: quiet)
        try await owner.addOffice("jakarta", role: "jakarta_r", seesAll: false, mediaURL: nil)
        try await owner.addOffice("pusat", role: "pusat_r", seesAll: true, mediaURL: nil)
        try await owner.replace([try session("b1", ["anggaran logistik bandung"], in: folder)])

        // The office's role on both servers; the replica's URL carries a password that no log may show.
        let lines = CapturedLines()
        let logger = Logger(label: "siaran.catalog") { _ in CapturingLogHandler(lines: lines) }
        let jakartaURL = PostgresTestCluster.url(url, as: "jakarta_r")
        let replicaURL = standby.sameDatabase(as: jakartaURL).replacingOccurrences(of: "jakarta_r@", with: "jakarta_r:rahasia-replika@")
        // A deadline of 8 s, not the default 2: this test is about lag and a stopped replica (refused at once),
        // and a first search on a fresh replica connection took over 2 s while CI started every suite
        // (session 14), which sent it to the primary and put every count after it one off.
        // ReplicaDeadlineTests holds the deadline itself.
        let routing = try PostgresReadRouting(ReadReplica(url: replicaURL, maxLag: 1, checkInterval: 0.3, deadline: Self.deadline), logger: logger)
        let jakarta = try PostgresCatalog(url: jakartaURL, office: "jakarta", logger: quiet, routing: routing)
        try await jakarta.replace([try session("j1", ["anggaran pemilu jakarta"], in: folder)])
        try standby.catchUp(with: primary)

        // A pushed session is found through the replica, which shows only what the office may see.
        let first = try await sessions(jakarta, "anggaran")
        #expect(first == ["j1"], "\(first); replica answers \(routing.answers(from: .replica)), primary \(routing.answers(from: .primary)); \(lines.text)")
        #expect(routing.answers(from: .replica) > 0 && routing.answers(from: .primary) == 0)
        #expect(lines.count("searches read from the replica postgres://jakarta_r@127.0.0.1:\(standby.port)/") == 1, "\(lines.text)")
        // The national role narrowed to one office's view: the connection's setting works on the standby.
        let nationalURL = PostgresTestCluster.url(url, as: "pusat_r")
        // (Its lag bound is the default's 30 s: this part is about what the standby shows, not lag, and a 1 s bound
        // sent these searches to the primary once when the 2-core machine was busy.)
        let nationalRouting = try PostgresReadRouting(ReadReplica(url: standby.sameDatabase(as: nationalURL), maxLag: 30, checkInterval: 0.3, deadline: Self.deadline), logger: quiet)
        let national = try PostgresCatalog(url: nationalURL, office: "pusat", logger: quiet, routing: nationalRouting)
        #expect(try await sessions(national, "anggaran") == ["j1", "b1"])
        #expect(try await sessions(national.viewed(by: "jakarta"), "anggaran") == ["j1"])
        #expect(nationalRouting.answers(from: .replica) > 0 && nationalRouting.answers(from: .primary) == 0)
        // Users of different offices in turn: each search's questions share one replica connection, whose
        // office view is set once while it serves that office (2–3 statements, as on the primary).
        var counts: [Int] = []
        for (viewer, expected) in [("jakarta", ["j1"]), ("bandung", ["b1"]), (nil, ["j1", "b1"]), ("jakarta", ["j1"])] as [(String?, Set<String>)] {
            for index in [national, viewer.map { national.viewed(by: $0) } ?? national] as [any SearchIndex] {
                let (before, answered) = (national.queriesSent, nationalRouting.answers(from: .replica))
                let found = try await ArchiveSearch(index: index).run("anggaran", filters: SearchFilters(viewer: viewer), limit: 50, perSession: 10, now: Date())
                let sent = national.queriesSent - before
                counts.append(sent)
                #expect(Set(found.hits.map(\.session)) == expected && (2...3).contains(sent) && nationalRouting.answers(from: .replica) == answered + 1,
                        "\(viewer ?? "national") \(index): \(sent) statements, \(nationalRouting.answers(from: .replica) - answered) replica answers")
            }
        }

        // Replay paused: a session pushed now is on the primary only. Past the bound, the primary answers
        // (and finds it); a routing whose bound is an hour stays on the replica (and does not).
        let patientRouting = try PostgresReadRouting(ReadReplica(url: replicaURL, maxLag: 3600, checkInterval: 3600, deadline: Self.deadline), logger: logger)
        let patient = try PostgresCatalog(url: jakartaURL, office: "jakarta", logger: quiet, routing: patientRouting)
        #expect(try await sessions(patient, "anggaran") == ["j1"])
        try standby.pauseReplay(true)
        try await jakarta.replace([try session("j2", ["banjir bandang di jakarta"], in: folder)])
        try await Task.sleep(for: .milliseconds(1500))
        let fromReplica = routing.answers(from: .replica)
        #expect(try await searchUntil(.primary, routing, jakarta, "banjir") == ["j2"])
        #expect(try await sessions(jakarta, "banjir bandang") == ["j2"])
        #expect(routing.answers(from: .replica) == fromReplica)
        #expect(try await sessions(patient, "banjir") == [])
        #expect(patientRouting.answers(from: .primary) == 0)
        #expect(lines.count("searches go to the primary: the replica") == 1 && lines.count("more than the 1 s allowed (--replica-max-lag)") == 1,
                "\(lines.text)")

        let lagging = await routing.lookNow()
        #expect(!lagging.inUse && (lagging.lag ?? 0) > 1 && lagging.reason?.contains("--replica-max-lag") == true, "\(lagging)")

        // Replay resumed: the replica answers again, with the new session.
        try standby.pauseReplay(false)
        try standby.catchUp(with: primary)
        #expect(try await searchUntil(.replica, routing, jakarta, "banjir") == ["j2"])
        #expect(routing.answers(from: .replica) > fromReplica)
        #expect(lines.count(" again (it trails the primary by") == 1, "\(lines.text)")

        // The replica stopped: the next search fails there and is answered by the primary at once (the
        // hour-long interval has not passed), or the next look finds it down.
        try standby.pause()
        let stoppedAt = Date()
        #expect(try await sessions(patient, "banjir") == ["j2"])
        #expect(patientRouting.answers(from: .primary) > 0)
        #expect(try await searchUntil(.primary, routing, jakarta, "anggaran") == ["j1"])
        #expect(Date().timeIntervalSince(stoppedAt) < 10)
        #expect(lines.count("searches go to the primary: the replica") == 3, "\(lines.text)")
        // Started again: the replica answers after the next look.
        try standby.start()
        #expect(try await searchUntil(.replica, routing, jakarta, "banjir bandang") == ["j2"])
        #expect(lines.count(" again (it trails the primary by") == 2, "\(lines.text)")
        let state = await routing.lookNow()
        #expect(state.inUse && state.location == "postgres://jakarta_r@127.0.0.1:\(standby.port)/\(URL(string: url)!.lastPathComponent)", "\(state)")
        #expect(!lines.text.contains("rahasia"), "\(lines.text)")
        print("read replica test: statements per search on the replica, users of jakarta, bandung, the national team, jakarta again (catalog, then viewed): \(counts)")
        print("read replica test: primary and standby ready in \(String(format: "%.1f", setUp)) s, all in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
