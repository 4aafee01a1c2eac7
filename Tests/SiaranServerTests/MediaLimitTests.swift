import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranServer
import Testing

@Suite("Web companion: limits on media children")
struct MediaLimitTests {
    static func limits(_ change: (inout MediaLimits) -> Void = { _ in }) -> MediaLimits {
        var limits = MediaLimits()
        limits.streams = 3
        limits.perVisitor = 2
        limits.queue = 2
        limits.queueWait = 3
        limits.stallTimeout = 5
        change(&limits)
        return limits
    }

    @Test("anonymous visitors who never read: at most three children, a short queue, 503 beyond, stalled children ended")
    func boundedStreams() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        let media = try FakeMediaExecutable()
        defer { media.killAll() }
        fixture.configure = {
            $0.mediaExecutable = media.path
            $0.mediaLimits = Self.limits()
        }
        try await fixture.test(live: true, trustedProxies: ["127.0.0.1"]) { client in
            let port = try #require(client.port)
            let playback = "/api/sessions/\(fixture.finished)/playback.mp4?start=5"
            // Three visitors take the three places.
            let first = try (1...3).map { n in
                let connection = try RawConnection(port: port)
                connection.get(n == 2 ? "/api/sessions/\(fixture.finished)/clip?from=0&to=300" : playback, from: "10.9.0.\(n)")
                return connection
            }
            for connection in first {
                let head = await connection.head(timeout: 10)
                #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
            }
            // Two more wait their turn, a third finds the queue full and is refused at once.
            let queued = try (4...5).map { n in
                let connection = try RawConnection(port: port)
                connection.get(playback, from: "10.9.0.\(n)")
                return connection
            }
            // A second for the two to reach the queue on a loaded machine (CI once missed at 200 ms); the
            // refusal must then come well before a queue's wait (3 s) would have ended, had it been queued.
            try await Task.sleep(for: .seconds(1))
            let refused = try RawConnection(port: port)
            refused.get(playback, from: "10.9.0.6")
            let refusedHead = await refused.head(timeout: 1.9)
            #expect(refusedHead.hasPrefix("HTTP/1.1 503") && refusedHead.contains("Retry-After:"), "\(refusedHead)")
            // The waiting ones give up after the queue's wait (the places are still held by readers that stalled).
            for connection in queued {
                let head = await connection.head(timeout: 6)
                #expect(head.hasPrefix("HTTP/1.1 503") && head.contains("Retry-After:"), "\(head)")
            }
            #expect(media.calls.count == 3 && media.running <= 3)
            // Nobody reads: each child is ended after the stall timeout (5 s), and its place given back.
            #expect(try await LiveUpdateSignInTests.eventually(12) { media.running == 0 }, "\(media.running) children still run")
            // One visitor may hold two places, not three.
            let same = try (1...3).map { _ in try RawConnection(port: port) }
            for connection in same { connection.get(playback, from: "10.9.0.7"); try await Task.sleep(for: .milliseconds(100)) }
            #expect(await same[0].head(timeout: 5).hasPrefix("HTTP/1.1 200"))
            #expect(await same[1].head(timeout: 5).hasPrefix("HTTP/1.1 200"))
            #expect(await same[2].head(timeout: 1).hasPrefix("HTTP/1.1 503"))
            #expect(media.running <= 2)
            _ = first; _ = refused
        }
    }

    @Test("a clip that fails answers its reason (422), not an empty 200; a negative zero never reaches the child")
    func failedClipAndNegativeZero() async throws {
        let fixture = try ServerFixture()
        let media = try FakeMediaExecutable()
        defer { media.killAll() }
        fixture.configure = { $0.mediaExecutable = media.path }
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/clip?from=99&to=100", method: .get, headers: vera.headers) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("nothing was recorded between 99 s and 100 s"))
            }
            for at in ["-0", "-0.0", "-1"] {
                try await client.execute(uri: "/api/sessions/\(fixture.finished)/thumbnail?at=\(at)", method: .get, headers: vera.headers) { response in
                    #expect(response.status == .badRequest, "at=\(at)")
                }
            }
            try await client.execute(uri: "/api/sessions/\(fixture.finished)/thumbnail?at=0", method: .get, headers: vera.headers) { response in
                #expect(response.status == .ok)
            }
            let thumbnails = media.calls.filter { $0.arguments.hasPrefix("thumbnail") }
            #expect(thumbnails.count == 1 && thumbnails.allSatisfy { !$0.arguments.contains(" -0") })
        }
    }

    @Test("thumbnails are cached up to a limit: asking for every moment does not fill the disk")
    func thumbnailCacheBound() async throws {
        let fixture = try ServerFixture()
        let media = try FakeMediaExecutable()
        fixture.configure = {
            $0.mediaExecutable = media.path
            $0.mediaLimits.thumbnailCacheFiles = 3
        }
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            for at in 1...8 {
                try await client.execute(uri: "/api/sessions/\(fixture.finished)/thumbnail?at=\(at)&width=\(100 + at)", method: .get,
                                         headers: vera.headers) { #expect($0.status == .ok) }
            }
            let cached = try FileManager.default.contentsOfDirectory(atPath: fixture.archive.root + "/.cache/thumbnails")
            #expect(cached.count <= 3, "\(cached)")
            #expect(media.calls.count == 8)
        }
    }
}
