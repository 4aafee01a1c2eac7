import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranAccounts
import SiaranServer
import Synchronization
import Testing

@Suite("Web companion: live-update streams and the sign-in")
struct LiveUpdateSignInTests {
    /// Opens `uri` (an endless event stream) in the background; `ended` turns true when the server ends it.
    final class OpenStream: Sendable {
        final class Outcome: Sendable {
            let ended = Mutex(false)
            let status = Mutex(0)
        }
        let outcome = Outcome()
        let task: Task<Void, Never>

        init(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields) {
            let outcome = outcome
            task = Task {
                _ = try? await client.execute(uri: uri, method: .get, headers: headers) { response in
                    outcome.status.withLock { $0 = Int(response.status.code) }
                }
                outcome.ended.withLock { $0 = true }
            }
        }

        var hasEnded: Bool { outcome.ended.withLock { $0 } }
        var status: Int { outcome.status.withLock { $0 } }
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(_ seconds: Double = 5, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test("an open stream ends when its user signs out, and when the user is removed")
    func endsWithTheSignIn() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono")
            let veras = OpenStream(client, "/api/updates", headers: vera.headers)
            let tonos = OpenStream(client, "/api/sessions/\(fixture.live)/updates", headers: tono.headers)
            try await Task.sleep(for: .milliseconds(1200))
            #expect(!veras.hasEnded && !tonos.hasEnded, "streams stay open while signed in")
            try await client.execute(uri: "/api/logout", method: .post, headers: vera.writeHeaders) { #expect($0.status == .ok) }
            #expect(try await Self.eventually { veras.hasEnded }, "the stream outlived the sign-out")
            try UserFile(archive: fixture.archive).remove(name: "tono")
            #expect(try await Self.eventually { tonos.hasEnded }, "the stream outlived the user's removal")
            veras.task.cancel(); tonos.task.cancel()
        }
    }

    @Test("a user may hold four streams open; the fifth waits its turn (429)")
    func perUserLimit() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), ada = try await client.signIn("ada")
            let streams = (0..<4).map { _ in OpenStream(client, "/api/updates", headers: vera.headers) }
            try await Task.sleep(for: .milliseconds(800))
            try await client.execute(uri: "/api/updates", method: .get, headers: vera.headers) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] != nil)
            }
            // Another user is not held back by vera's streams.
            let adas = OpenStream(client, "/api/updates?limit=1", headers: ada.headers)
            #expect(try await Self.eventually { adas.hasEnded })
            #expect(adas.status == 200)
            // A stream that ends gives its place back.
            try await client.execute(uri: "/api/logout", method: .post, headers: vera.writeHeaders) { #expect($0.status == .ok) }
            #expect(try await Self.eventually { streams.allSatisfy(\.hasEnded) })
            let again = try await client.signIn("vera")
            let one = OpenStream(client, "/api/updates?limit=1", headers: again.headers)
            #expect(try await Self.eventually { one.hasEnded })
            #expect(one.status == 200)
            streams.forEach { $0.task.cancel() }
        }
    }
}
