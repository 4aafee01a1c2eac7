import Foundation
import SiaranAccounts
import SiaranSearch
@testable import SiaranServer
import SiaranTestSupport
import Testing

/// The national server's signed links to an office's player: HMAC-SHA256 over office, session, viewer
/// and expiry with the office's secret; good until the expiry, for that session and viewer only.
@Suite("Signed links")
struct SignedLinkTests {
    let secret = "3f9a1c0e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7"

    @Test("a link is good until it expires; another secret, session, viewer or office, or an expiry stretched beyond a link's life, is forged")
    func verdicts() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let link = SignedLink(office: "lolak", session: "2026-12-07-rapat", viewer: "nina@pusat", expires: Int(now.timeIntervalSince1970 + SignedLink.lifetime))
        let signature = link.signature(secret: secret)
        #expect(signature.count == 64 && signature.allSatisfy(\.isHexDigit))
        #expect(link.check(signature, secret: secret, now: now) == .valid)
        #expect(link.check(signature, secret: secret, now: now.addingTimeInterval(SignedLink.lifetime + 1)) == .expired)
        #expect(link.check(signature, secret: String(secret.reversed()), now: now) == .forged)
        for changed in [SignedLink(office: "manado", session: link.session, viewer: link.viewer, expires: link.expires),
                        SignedLink(office: link.office, session: link.session + "x", viewer: link.viewer, expires: link.expires),
                        SignedLink(office: link.office, session: link.session, viewer: "ada@pusat", expires: link.expires),
                        SignedLink(office: link.office, session: link.session, viewer: link.viewer, expires: link.expires + 3600)] {
            #expect(changed.check(signature, secret: secret, now: now) == .forged)
        }
        // Signed for a year: refused even with the right secret (a copied link must soon die).
        let long = SignedLink(office: "lolak", session: link.session, viewer: link.viewer, expires: Int(now.timeIntervalSince1970 + 365 * 86400))
        #expect(long.check(long.signature(secret: secret), secret: secret, now: now) == .forged)
        // The URL carries the moment and the signed fields; the session's path is escaped.
        let url = link.url(base: "https://lolak.example/siaran/", seconds: 754.6, secret: secret)
        #expect(url == "https://lolak.example/siaran/sessions/2026-12-07-rapat?t=754&office=lolak&viewer=nina@pusat&expires=\(link.expires)&signature=\(signature)", "\(url)")
    }
}

/// Hits of other offices get a signed link to their player, or "offline" when their server does not answer.
@Suite("Links on other offices' hits")
struct OfficeLinksTests {
    @Test("an office whose server does not answer is offline (no link, the snippet kept); this office's hits and offices without a secret get no link")
    func offlineOffice() async throws {
        let closed = "http://127.0.0.1:\(TestPort.free())"
        let probe = OfficeProbe()
        let links = OfficeLinks(serverOffice: "pusat", secrets: LinkSecrets(offices: ["lolak": String(repeating: "k", count: 40)]), probe: probe)
        var result = SearchResult(query: "hoaks")
        result.hits = [SearchHit(session: "a", title: "Rapat", date: nil, seconds: 12, speaker: nil, agenda: nil, matched: .caption,
                                 text: "hoaks", snippet: "«hoaks»", score: 1, office: "lolak", playFrom: closed),
                       SearchHit(session: "b", title: "Pleno", date: nil, seconds: 3, speaker: nil, agenda: nil, matched: .caption,
                                 text: "hoaks", snippet: "«hoaks»", score: 1, office: "pusat", playFrom: closed)]
        let decorated = await links.decorate(result, viewer: "nina@pusat")
        #expect(decorated.hits[0].officeOffline == true && decorated.hits[0].link == nil && decorated.hits[0].snippet == "«hoaks»")
        #expect(decorated.hits[1].officeOffline == nil && decorated.hits[1].link == nil)
        // Remembered: the second search does not probe again.
        let again = await links.decorate(result, viewer: "nina@pusat")
        #expect(again.hits[0].officeOffline == true)
        #expect(await probe.probes == 1)
    }
}
