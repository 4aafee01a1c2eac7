import Foundation
import SiaranArchive
import Testing

/// `siaran serve --public` with the real `siaran-media`, attacked by visitors who ask for the MP4 stream
/// and never read it (issue 26 item 2: 70 such connections once held 58 children and 3.4 GiB).
@Suite("siaran serve limits its media children, end to end", .timeLimit(.minutes(20)), .ownThreads)
struct ServeLimitsTests {
    /// The children of process `parent` now (read from /proc).
    static func children(of parent: Int32) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int32($0) != nil }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[1]) == parent
        }.count
    }

    @Test("seven anonymous visitors who never read the MP4 stream: at most four siaran-media children, the others 503, each child ended after the stall timeout")
    func unreadStreams() throws {
        // A session too long to fit in the pipes and socket buffers between the child and a visitor.
        let folder = Harness.temporaryFolder("serve-limits")
        let archive = folder + "/archive"
        try Harness.makeFile(folder + "/long.mp4", seconds: 60, extra: ["-b:v", "2M", "-maxrate", "2M", "-bufsize", "1M"])
        let imported = try Harness.run(["import", folder + "/long.mp4", "--archive", archive, "--segment-duration", "6"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let id = try #require(Archive(path: archive).sessionIDs().first)

        let port = Harness.freePort()
        let server = try Harness.start(["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)", "--public", "--trusted-proxy", "127.0.0.1"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) }, "the server did not start: \(server.wait(timeout: 1).stderr)")

        // Each visitor (its own address, as a trusted proxy says) reads the status line, then nothing more.
        let visitors = try (0..<7).map { n in
            try Harness.Running("/usr/bin/python3", ["-c", """
                import socket, sys, time
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096); s.connect(("127.0.0.1", \(port)))
                s.sendall(b"GET /api/sessions/\(id)/playback.mp4?start=\(n) HTTP/1.1\\r\\nHost: x\\r\\nX-Forwarded-For: 10.8.0.\(n)\\r\\n\\r\\n")
                print(s.recv(12).decode("latin-1"), flush=True)
                time.sleep(120)
                """])
        }
        defer { visitors.forEach { $0.stop() } }
        var most = 0
        var statuses: [String] = []
        _ = Harness.waitUntil(timeout: 30) {
            most = max(most, Self.children(of: server.pid))
            statuses = visitors.map { ((try? String(contentsOfFile: $0.stdoutPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            return statuses.allSatisfy { !$0.isEmpty }
        }
        #expect(statuses.filter { $0 == "HTTP/1.1 200" }.count == 4, "\(statuses)")
        #expect(statuses.filter { $0 == "HTTP/1.1 503" }.count == 3, "\(statuses)")
        #expect(most >= 1 && most <= 4, "\(most) children at once")
        // Nobody reads: 30 s without a byte taken ends each child.
        #expect(Harness.waitUntil(timeout: 60) { Self.children(of: server.pid) == 0 }, "\(Self.children(of: server.pid)) children still run")
    }
}
