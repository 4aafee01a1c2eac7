import Foundation
import SiaranServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Web companion: slow and silent connections")
struct ConnectionTimeoutTests {
    @Test("a silent connection and one that sends its head a line at a time (slowloris) are closed after the idle timeout")
    func slowloris() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        fixture.configure = { $0.idleTimeout = 2 }
        try await fixture.test(live: true) { client in
            let port = try #require(client.port)
            let silent = try RawConnection(port: port)
            let slow = try RawConnection(port: port)
            slow.send("GET /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let started = Date()
            #expect(await slow.closed(within: 8, trickle: "X-Padding: a\r\n"), "a slowloris connection stayed open")
            #expect(await silent.closed(within: 8 - Date().timeIntervalSince(started)), "a silent connection stayed open")
            // A request sent at once is answered as before.
            let quick = try RawConnection(port: port)
            quick.send("GET /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let answer = await quick.head(timeout: 10)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        }
    }

    @Test("a request body sent a byte at a time is cut off at the read timeout, though bytes keep coming")
    func slowBody() async throws {
        let fixture = try ServerFixture()
        fixture.configure = { $0.requestReadTimeout = 2 }
        try await fixture.test(live: true) { client in
            let port = try #require(client.port)
            let slow = try RawConnection(port: port)
            slow.send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{")
            #expect(await slow.closed(within: 8, trickle: " "), "a slow body kept its connection")
            // A body sent at once is read as before.
            let quick = try RawConnection(port: port)
            let body = #"{"name":"vera","password":"salah-sekali"}"#
            quick.send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            let answer = await quick.head(timeout: 10)
            #expect(answer.hasPrefix("HTTP/1.1 401"), "\(answer)")
        }
    }
}
