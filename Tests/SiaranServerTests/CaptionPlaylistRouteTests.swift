import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranCore
import SiaranServer
import Testing

/// Live captions on the web (issue 32): the HLS subtitle rendition, the transcript's live lines,
/// the live updates' `captions` event and starring a live line.
@Suite("Web companion: live captions")
struct CaptionPlaylistRouteTests {
    /// The live session with a final transcript up to 20 s and live lines after (one it replaced).
    static func captioned() throws -> ServerFixture {
        let fixture = try ServerFixture()
        let archive = fixture.archive, id = fixture.live
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try AtomicFile.write(Data(WebVTT.render([Cue(start: 4, end: 8, text: "Selamat pagi rekan media."),
                                                Cue(start: 15, end: 20, text: "Logistik pemilu sudah dikirim.")]).utf8),
                             to: archive.machineTranscriptPath(of: id))
        try AtomicFile.write(Data(WebVTT.render([Cue(start: 15.2, end: 19, text: "logistik pemilu sudah"),
                                                Cue(start: 31, end: 33.5, text: "hoaks tentang surat suara"),
                                                Cue(start: 50, end: 56, text: "kami jawab pertanyaan sekarang")]).utf8),
                             to: archive.liveCaptionsPath(of: id))
        return fixture
    }

    @Test("master.m3u8 has a WebVTT subtitle rendition; its segments follow the media's with X-TIMESTAMP-MAP; viewers only")
    func rendition() async throws {
        let fixture = try Self.captioned()
        let id = fixture.live
        try await fixture.test { client in
            let vera = try await client.signIn("vera")
            try await client.execute(uri: "/api/sessions/\(id)/master.m3u8", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/sessions/\(id)/master.m3u8", method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("application/vnd.apple.mpegurl") == true)
                #expect(text.contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\"") && text.contains("URI=\"/api/sessions/\(id)/subs.m3u8\""), "\(text)")
                #expect(text.contains("SUBTITLES=\"subs\"\n/media/\(id)/index.m3u8\n") && text.contains("BANDWIDTH=1000000"), "\(text)")
            }
            try await client.execute(uri: "/api/sessions/\(id)/subs.m3u8", method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("#EXT-X-PLAYLIST-TYPE:EVENT") && !text.contains("ENDLIST"), "a live session's rendition grows: \(text)")
                #expect(text.components(separatedBy: "#EXTINF:6.000,").count == 10 && text.contains("subs/8.vtt"), "\(text)")
            }
            try await client.execute(uri: "/api/sessions/\(id)/subs/2.vtt", method: .get, headers: vera.headers) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/vtt") == true)
                #expect(text.hasPrefix("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n"), "\(text)")
                // 12–18 s: the final transcript's line, not the live line it replaced.
                #expect(text.contains("00:00:15.000 --> 00:00:20.000\nLogistik pemilu sudah dikirim.") && !text.contains("logistik pemilu sudah\n"), "\(text)")
            }
            try await client.execute(uri: "/api/sessions/\(id)/subs/5.vtt", method: .get, headers: vera.headers) { response in
                #expect(String(buffer: response.body).contains("00:00:31.000 --> 00:00:33.500\nhoaks tentang surat suara"))
            }
            for bad in ["9.vtt", "-1.vtt", "01.vtt", "1.srt"] {
                let answer = try await client.json("/api/sessions/\(id)/subs/\(bad)", headers: vera.headers)
                #expect(answer.status == 404, "\(bad): \(answer)")
            }
            // A name that climbs out of the folder never reaches a file.
            #expect([400, 404].contains(try await client.json("/api/sessions/\(id)/subs/..%2F..%2Fsession.json", headers: vera.headers).status))
        }
    }

    @Test("live lines are in the transcript until the final one reaches them, in the live updates, and starrable at once")
    func liveLines() async throws {
        let fixture = try Self.captioned()
        let id = fixture.live
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let lines = try #require(try await client.json("/api/sessions/\(id)/transcript", headers: tono.headers).body["lines"] as? [[String: Any]])
            #expect(lines.map { $0["file"] as? String } == ["asr.vtt", "asr.vtt", "asr-live.vtt", "asr-live.vtt"], "\(lines)")
            let stream = try await client.execute(uri: "/api/sessions/\(id)/updates?limit=3", method: .get, headers: tono.headers) { String(buffer: $0.body) }
            #expect(stream.contains("event: captions\ndata: {\"lines\":[") && stream.contains("kami jawab pertanyaan sekarang"), "\(stream)")
            let starred = try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                                   body: ByteBuffer(string: #"{"at":31,"file":"asr-live.vtt"}"#)) { ($0.status, String(buffer: $0.body)) }
            #expect(starred.0 == .created && starred.1.contains("hoaks tentang surat suara"), "\(starred)")
        }
    }
}
