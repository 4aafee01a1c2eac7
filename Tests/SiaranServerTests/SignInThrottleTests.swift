import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
@testable import SiaranServer
import Testing

@Suite("Web companion: sign-in throttling")
struct SignInThrottleTests {
    /// A sign-in as `name` from `address` (sent as X-Forwarded-For) with `cookie`: the status and the cookies set.
    static func login(_ client: some TestClientProtocol, _ name: String, password: String = ServerFixture.password,
                      from address: String? = nil, cookie: String? = nil) async throws -> (status: Int, cookies: [String]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let address { headers[.xForwardedFor] = address }
        if let cookie { headers[.cookie] = cookie }
        let body = ByteBuffer(string: #"{"name":"\#(name)","password":"\#(password)"}"#)
        return try await client.execute(uri: "/api/login", method: .post, headers: headers, body: body) { response in
            (Int(response.status.code), response.headers[values: .setCookie])
        }
    }

    @Test("60 guesses for one name sent at once get five password checks; the rest wait (429)")
    func guessesAtOnce() async throws {
        let fixture = try ServerFixture()
        try await fixture.test(throttle: SignInThrottle(freeTries: 5)) { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<60 { group.addTask { try await Self.login(client, "vera", password: "tebakan-yang-salah").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == 429 }.count == 55)
        }
    }

    @Test("guesses from one address do not keep a user out who signed in before (same address, or her device cookie)")
    func noLockOut() async throws {
        let fixture = try ServerFixture()
        try await fixture.test(throttle: SignInThrottle(freeTries: 5, firstDelay: 60), live: true, trustedProxies: ["127.0.0.1"]) { client in
            let first = try await Self.login(client, "vera", from: "10.0.0.1")
            #expect(first.status == 200)
            let device = try #require(first.cookies.first { $0.hasPrefix("siaran_device=") })
            #expect(device.contains("HttpOnly") && device.contains("SameSite=Strict") && device.contains("Max-Age="))
            // The attacker: 30 guesses for vera, then 20 made-up names, all from 10.0.0.66.
            var refused = 0
            for _ in 0..<30 where try await Self.login(client, "vera", password: "tebakan-salah", from: "10.0.0.66").status == 429 { refused += 1 }
            for n in 0..<20 { _ = try await Self.login(client, "orang\(n)", password: "tebakan-salah", from: "10.0.0.66") }
            #expect(refused >= 25)
            // Vera from where she signed in before, and from a new address with her device cookie, gets in at once.
            #expect(try await Self.login(client, "vera", from: "10.0.0.1").status == 200)
            #expect(try await Self.login(client, "vera", from: "10.0.0.77", cookie: String(device.split(separator: ";")[0])).status == 200)
            // Someone else, from another address, is not held back; from the attacker's address, an unknown client waits.
            #expect(try await Self.login(client, "tono", from: "10.0.0.2").status == 200)
            #expect(try await Self.login(client, "ada", from: "10.0.0.66").status == 429)
        }
    }

    @Test("X-Forwarded-For names the client only when it comes from a trusted proxy")
    func forwardedFor() async throws {
        let untrusting = try ServerFixture()
        try await untrusting.test(throttle: SignInThrottle(freeTries: 5, firstDelay: 60), live: true) { client in
            // Without --trusted-proxy, a made-up header per guess does not make the guesses come from elsewhere.
            var statuses: [Int] = []
            for n in 0..<6 { statuses.append(try await Self.login(client, "vera", password: "salah", from: "10.1.0.\(n)").status) }
            #expect(statuses == [401, 401, 401, 401, 401, 429])
        }
        let trusting = try ServerFixture()
        try await trusting.test(throttle: SignInThrottle(freeTries: 5, firstDelay: 60), live: true, trustedProxies: ["127.0.0.1"]) { client in
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(try await Self.login(client, "vera", password: "salah", from: "10.2.0.1").status) }
            // The proxy appends the address it saw: what the client wrote before it does not count.
            for forwarded in ["10.2.0.1, 10.2.0.2", "10.2.0.2, 10.2.0.1"] {
                statuses.append(try await Self.login(client, "vera", password: "salah", from: forwarded).status)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 429, 401, 429])
        }
    }

    @Test("past the free tries each failure doubles the wait; a right password takes its count back")
    func exponentialDelay() {
        let throttle = SignInThrottle(freeTries: 2, firstDelay: 10, maxDelay: 40, forgetAfter: 3600)
        let guess = SignInThrottle.Attempt(name: "vera", address: "10.3.0.1", device: nil)
        let start = Date(timeIntervalSince1970: 1_000_000)
        func wait(at seconds: TimeInterval) -> Int? {
            switch throttle.begin(guess, now: start + seconds) {
            case .success: return nil
            case let .failure(wait): return wait.seconds
            }
        }
        #expect(wait(at: 0) == nil && wait(at: 0) == nil)
        #expect(wait(at: 1) == 9)
        #expect(wait(at: 10) == nil)
        #expect(wait(at: 25) == 5)
        #expect(wait(at: 30) == nil)
        #expect(wait(at: 60) == 10)
        #expect(wait(at: 70) == nil)
        #expect(wait(at: 100) == 10, "the wait stops growing at maxDelay")
        #expect(wait(at: 3700) == nil, "forgotten after an hour without failures")
        // A right password from a new client is not held back by its own earlier attempt's count.
        let other = SignInThrottle(freeTries: 1)
        let tono = SignInThrottle.Attempt(name: "tono", address: "10.3.0.2", device: nil)
        guard case let .success(ticket) = other.begin(tono, now: start) else { Issue.record("refused"); return }
        other.succeeded(ticket, tono, device: SignInStore.randomToken())
        if case .failure = other.begin(tono, now: start) { Issue.record("a success was counted as a failure") }
    }
}
