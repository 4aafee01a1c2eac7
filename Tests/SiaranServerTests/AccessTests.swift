import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranAccounts
import SiaranServer
import SiaranArchive
import Testing

@Suite("Web companion: sign-in and roles")
struct AccessTests {
    @Test("anonymous visitors are sent to sign in: pages redirect, the API and the media answer 401")
    func anonymous() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login?next=%2F")
            }
            try await client.execute(uri: "/sessions/\(fixture.finished)?t=40", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/login?next=%2Fsessions%2F") == true)
            }
            for uri in ["/api/sessions", "/api/sessions/\(fixture.finished)", "/api/search?q=hoaks", "/media/\(fixture.finished)/index.m3u8",
                        "/api/sessions/\(fixture.finished)/transcript", "/api/sessions/\(fixture.finished)/updates?limit=1"] {
                let (status, body) = try await client.json(uri)
                #expect(status == 401, "\(uri)")
                #expect((body["error"] as? String)?.contains("masuk") == true && body["code"] as? String == "error.notSignedIn", "\(uri)")
            }
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("name=\"password\""))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            }
            let me = try await client.json("/api/me")
            #expect(me.body["name"] == nil && me.body["publicViewing"] as? Bool == false)
        }
    }

    @Test("with --public anyone may view, but tagging still needs a tagger")
    func publicViewing() async throws {
        let fixture = try ServerFixture(publicViewing: true)
        try await fixture.test { client in
            #expect(try await client.json("/api/sessions").status == 200)
            try await client.execute(uri: "/", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/media/\(fixture.finished)/index.m3u8", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"kind":"speaker","value":"Budi Santoso"}"#)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/sessions/\(fixture.live)/live", method: .get) { #expect($0.status == .seeOther) }
        }
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict cookie and gives the CSRF token; signing out ends it")
    func signInAndOut() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let body = ByteBuffer(string: #"{"name":"vera","password":"\#(ServerFixture.password)"}"#)
            try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                #expect(response.status == .ok)
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.hasPrefix("siaran_signin="))
                #expect(!cookie.contains("Secure"))
            }
            let vera = try await client.signIn("vera")
            let me = try await client.json("/api/me", headers: vera.headers)
            #expect(me.body["name"] as? String == "vera" && me.body["role"] as? String == "viewer")
            #expect(me.body["csrfToken"] as? String == vera.csrf)
            // Signing out needs the token too (a cross-site form cannot sign someone out).
            try await client.execute(uri: "/api/logout", method: .post, headers: vera.headers) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/logout", method: .post, headers: vera.writeHeaders) { #expect($0.status == .ok) }
            #expect(try await client.json("/api/sessions", headers: vera.headers).status == 401)
        }
    }

    @Test("the sign-in form redirects back to the page asked for, never to another site")
    func formSignIn() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            for (next, expected) in [("/search?q=hoaks", "/search?q=hoaks"), ("//evil.example/", "/"), ("https://evil.example/", "/"),
                                   ("/\t/evil.example", "/"), ("/\n/evil.example", "/"), ("/ /evil.example", "/")] {
                let form = "name=tono&password=\(ServerFixture.password)&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: form)) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == expected)
                    #expect(response.headers[.setCookie] != nil)
                }
            }
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "name=tono&password=wrong&next=%2F")) { response in
                #expect(response.headers[.location]?.hasPrefix("/login?failed=") == true)
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test("wrong passwords are refused alike for real and unknown names, and a sixth try waits (429, Retry-After)")
    func throttle() async throws {
        let fixture = try ServerFixture()
        try await fixture.test(throttle: SignInThrottle(freeTries: 5)) { client in
            await #expect(throws: SignInFailed.self) { try await client.signIn("nobody") }
            for _ in 0..<5 {
                do { _ = try await client.signIn("vera", password: "salah-sekali-lagi") } catch let failed as SignInFailed {
                    #expect(failed.status == 401 || failed.status == 429)
                }
            }
            let body = ByteBuffer(string: #"{"name":"vera","password":"\#(ServerFixture.password)"}"#)
            try await client.execute(uri: "/api/login", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
            // Another name is not blocked by vera's failures… unless they come from the same address.
            _ = try await client.signIn("tono")
        }
    }

    @Test("a viewer may read everything but write nothing; a tagger may tag; pages need their role")
    func roles() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            for uri in ["/api/sessions", "/api/sessions/\(fixture.finished)", "/api/sessions/\(fixture.finished)/transcript",
                        "/api/sessions/\(fixture.finished)/tags", "/api/search?q=hoaks"] {
                #expect(try await client.json(uri, headers: vera.headers).status == 200, "\(uri)")
            }
            let tag = ByteBuffer(string: #"{"kind":"speaker","value":"Budi Santoso"}"#)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: vera.writeHeaders, body: tag) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("tagger"))
            }
            for who in [tono, ada] {
                try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: who.writeHeaders, body: tag) {
                    #expect($0.status == .created)
                }
            }
            try await client.execute(uri: "/sessions/\(fixture.live)/live", method: .get, headers: vera.headers) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/sessions/\(fixture.live)/live", method: .get, headers: tono.headers) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("/assets/live.") && page.contains("data-csrf=\"\(tono.csrf)\""))
            }
        }
    }

    @Test("writes need the CSRF token and are refused from another site's Origin")
    func csrf() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let tag = ByteBuffer(string: #"{"kind":"note","value":"tanpa token"}"#)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post,
                                     headers: [.cookie: tono.cookie, .contentType: "application/json"], body: tag) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("CSRF"))
            }
            var wrong = tono.writeHeaders
            wrong[HTTPField.Name("X-CSRF-Token")!] = String(repeating: "0", count: 64)
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: wrong, body: tag) { #expect($0.status == .forbidden) }
            var crossSite = tono.writeHeaders
            crossSite[.origin] = "https://evil.example"
            try await client.execute(uri: "/api/sessions/\(fixture.live)/tags", method: .post, headers: crossSite, body: tag) { #expect($0.status == .forbidden) }
            let events = (try? String(contentsOfFile: fixture.archive.eventsPath(of: fixture.live), encoding: .utf8)) ?? ""
            #expect(!events.contains("tanpa token"))
        }
    }
}

@Suite("Web companion: account changes on a running server")
struct AccountChangeTests {
    @Test("removing a user, changing their password or role takes effect on the next request")
    func changes() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let vera = try await client.signIn("vera"), tono = try await client.signIn("tono"), ada = try await client.signIn("ada")
            let file = UserFile(archive: fixture.archive)
            try file.setRole(name: "vera", role: .tagger)
            let me = try await client.json("/api/me", headers: vera.headers)
            #expect(me.body["role"] as? String == "tagger")
            try file.remove(name: "tono")
            #expect(try await client.json("/api/sessions", headers: tono.headers).status == 401)
            try await Task.sleep(for: .milliseconds(20))
            try file.setPassword(name: "ada", password: "kata-sandi-baru-456", cost: 4)
            #expect(try await client.json("/api/sessions", headers: ada.headers).status == 401)
            _ = try await client.signIn("ada", password: "kata-sandi-baru-456")
        }
    }
}
