import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SiaranAccounts
import SiaranArchive
import SiaranCatalogSQLite
import SiaranCore
import SiaranServer
import SiaranTestSupport

/// An archive with a finished session (media, captions, agenda, tags) and a live one (its lock held),
/// three users (viewer, tagger, admin), and the server over it.
final class ServerFixture: @unchecked Sendable {
    let archive: Archive
    let finished: String
    let live: String
    let lock: SessionLock
    static let password = "kata-sandi-rahasia"
    static let users: [(String, Role)] = [("vera", .viewer), ("tono", .tagger), ("ada", .admin)]

    init(publicViewing: Bool = false) throws {
        archive = Archive(path: TestFolder.make("server"))
        try archive.prepare()
        let started = Date(timeIntervalSinceNow: -86400 * 3)
        finished = try archive.createSessionDirectory(title: "Rapat pleno rekapitulasi", date: started)
        var m = SessionManifest(id: finished, title: "Rapat pleno rekapitulasi", kind: .live,
                                source: "rtmp://example.org/live/SECRETKEY123?token=TOKEN456", createdAt: started,
                                segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.startedAt = started
        m.endedAt = started.addingTimeInterval(120)
        m.streams = [StreamDescription(kind: .video, codec: "h264", width: 640, height: 360), StreamDescription(kind: .audio, codec: "aac", sampleRate: 48000, channels: 2)]
        m.segments = (0..<20).map { SegmentRecord(sequence: $0, file: String(format: "%06d.ts", $0), mediaStart: Double($0) * 6, duration: 6,
                                                  wallClockStart: started.addingTimeInterval(Double($0) * 6), bytes: 1000, discontinuity: false) }
        m.gaps = [GapRecord(wallClockStart: started.addingTimeInterval(60), duration: 5, mediaPosition: 60, reason: "stalled")]
        try archive.saveManifest(m)
        try FileManager.default.createDirectory(atPath: archive.mediaDirectory(of: finished), withIntermediateDirectories: true)
        for segment in m.segments {
            try Data(repeating: 0x47, count: 1000).write(to: URL(fileURLWithPath: archive.mediaDirectory(of: finished) + "/" + segment.file))
        }
        try archive.savePlaylist(of: m, ended: true)
        try archive.saveAgenda(Agenda(title: "Rapat pleno", speakers: [Person(name: "Ahmad Fauzi", role: "Ketua"), Person(name: "Siti Rahma", role: "Anggota")],
                                      agenda: [AgendaItem(title: "Pembukaan"), AgendaItem(title: "Penyampaian hasil rekapitulasi")]), of: finished)
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: finished), withIntermediateDirectories: true)
        let cues = [Cue(start: 10, end: 14, text: "Selamat pagi, rapat pleno kita buka."),
                    Cue(start: 40, end: 45, text: "Kami mengimbau masyarakat agar tidak menyebarkan hoaks tentang pemilu."),
                    Cue(start: 90, end: 95, text: "Daftar pemilih tetap sudah ditetapkan.")]
        try AtomicFile.write(Data(WebVTT.render(cues).utf8), to: archive.captionsDirectory(of: finished) + "/notulen.vtt")
        let tagger = Tagger(archive: archive)
        _ = try tagger.tag(session: finished, kind: .speaker, value: "Ahmad Fauzi", at: 5)
        _ = try tagger.tag(session: finished, kind: .agenda, value: "1", at: 5)
        _ = try tagger.tag(session: finished, kind: .speaker, value: "Siti Rahma", at: 35)
        _ = try tagger.tag(session: finished, kind: .topic, value: "hoaks", at: 40)

        let now = Date()
        live = try archive.createSessionDirectory(title: "Konferensi pers langsung", date: now)
        var l = SessionManifest(id: live, title: "Konferensi pers langsung", kind: .live, source: "srt://127.0.0.1:9000?passphrase=HIDDENPASS",
                                createdAt: now.addingTimeInterval(-60), segmentFormat: "ts", targetSegmentDuration: 6)
        l.startedAt = now.addingTimeInterval(-60)
        l.segments = (0..<9).map { SegmentRecord(sequence: $0, file: String(format: "%06d.ts", $0), mediaStart: Double($0) * 6, duration: 6,
                                                 wallClockStart: now.addingTimeInterval(-60 + Double($0) * 6), bytes: 750_000, discontinuity: false) }
        l.openSegment = OpenSegmentRecord(sequence: 9, file: "000009.ts", mediaStart: 54, wallClockStart: now.addingTimeInterval(-6), discontinuity: false)
        try archive.saveManifest(l)
        try archive.saveAgenda(Agenda(title: "Konferensi pers", speakers: [Person(name: "Budi Santoso", role: "Ketua"), Person(name: "Dewi Lestari", role: "Juru bicara")],
                                      agenda: [AgendaItem(title: "Pengantar"), AgendaItem(title: "Tanya jawab")]), of: live)
        lock = try SessionLock.take(path: archive.lockPath(of: live))

        let file = UserFile(archive: archive)
        for (name, role) in Self.users { _ = try file.add(name: name, role: role, password: Self.password, cost: 4) }
        self.publicViewing = publicViewing
    }

    let publicViewing: Bool

    /// Changes to the server's configuration the next servers are made with (media limits, timeouts…).
    var configure: (inout ServerConfiguration) -> Void = { _ in }

    func server(throttle: SignInThrottle = SignInThrottle(), zone: TimeZone? = nil, trustedProxies: [String] = []) -> WebServer {
        var configuration = ServerConfiguration(archive: archive, publicViewing: publicViewing, searchEngine: SQLiteCatalogEngine())
        if let zone { configuration.timeZone = zone }
        configuration.trustedProxies = trustedProxies
        configure(&configuration)
        return WebServer(configuration: configuration, throttle: throttle)
    }

    /// Runs `test` against the server, in process (`live`: over a real socket on loopback).
    func test(throttle: SignInThrottle = SignInThrottle(), live: Bool = false, zone: TimeZone? = nil, trustedProxies: [String] = [],
              _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = server(throttle: throttle, zone: zone, trustedProxies: trustedProxies).application()
        try await app.test(live ? .live : .router) { client in try await test(client) }
    }
}

/// A signed-in visitor's cookie and CSRF token.
struct SignedIn: Sendable {
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: cookie] }
    var writeHeaders: HTTPFields { [.cookie: cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: csrf] }
}

extension TestClientProtocol {
    func signIn(_ name: String, password: String = ServerFixture.password) async throws -> SignedIn {
        let body = ByteBuffer(string: #"{"name":"\#(name)","password":"\#(password)"}"#)
        return try await execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"], body: body) { response in
            guard response.status == .ok, let setCookie = response.headers[.setCookie],
                  let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any],
                  let csrf = json["csrfToken"] as? String else {
                throw SignInFailed(status: response.status.code, body: String(buffer: response.body))
            }
            return SignedIn(cookie: String(setCookie.split(separator: ";")[0]), csrf: csrf)
        }
    }

    func json(_ uri: String, headers: HTTPFields = [:]) async throws -> (status: Int, body: [String: Any]) {
        try await execute(uri: uri, method: .get, headers: headers) { response in
            (response.status.code, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
        }
    }
}

struct SignInFailed: Error { var status: Int; var body: String }
