import Foundation
import HummingbirdTesting
import SiaranArchive
import SiaranCore
@testable import SiaranServer
import Testing

/// How soon a live line (`captions/asr-live.vtt` of a recording session, appended as `record
/// --transcribe`'s live pass does) becomes an alert through the server's watch, that lines of one
/// moment raise one alert, and that the final transcript (`asr.vtt`) replacing them raises none again.
@Suite("Alerts from live lines")
struct AlertLiveTests {
    @Test("a watched word in a live line alerts within 2 s; the next line of the same answer (another half minute) alerts nothing again, a mention 24 s later does; the final transcript replacing them alerts nothing again")
    func liveLine() async throws {
        let fixture = try ServerFixture()
        let server = fixture.server()
        try await server.application().test(.router) { client in
            let vera = try await client.signIn("vera")
            #expect(try await AlertRouteTests.save(client, vera, ["q": "kotak suara"]).status == 201)
            let watch = Task { await server.alerts.watch() }
            defer { watch.cancel() }
            try await Task.sleep(for: .seconds(1))
            let archive = fixture.archive, live = fixture.live
            // The recording session was indexed a moment ago (the save): its next re-index would wait 10 s.
            try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: live), withIntermediateDirectories: true)
            let append = { (path: String, cues: [Cue]) in
                try AppendOnlyFile.append(Data(WebVTT.renderBlocks(cues).utf8), to: path, header: Data(WebVTT.header.utf8))
                archive.noteChange()
            }
            let said = ContinuousClock.now
            try append(archive.liveCaptionsPath(of: live), [Cue(start: 28, end: 31, text: "Kotak suara sudah tiba di kecamatan.")])
            var lag: Duration?
            while ContinuousClock.now - said < .seconds(12) {
                if try await AlertRouteTests.alerts(client, vera).contains(where: { $0["session"] as? String == live }) { lag = ContinuousClock.now - said; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            print("alert from a live transcript line after \(lag.map { "\($0)" } ?? "never")")
            let measured = try #require(lag, "no alert within 12 s")
            #expect(measured < .seconds(2))

            // The same answer goes on past the half minute (the moment the old half-minute keys split), then a new mention.
            try append(archive.liveCaptionsPath(of: live), [Cue(start: 33, end: 36, text: "Kotak suara disegel oleh petugas."),
                                                                 Cue(start: 52, end: 54, text: "Kotak suara cadangan dikirim besok.")])
            var alerts: [[String: Any]] = []
            let replaced = ContinuousClock.now
            while ContinuousClock.now - replaced < .seconds(12), alerts.count < 2 {
                alerts = try await AlertRouteTests.alerts(client, vera)
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(1500))
            alerts = try await AlertRouteTests.alerts(client, vera)
            let moments = alerts.compactMap { ($0["seconds"] as? NSNumber)?.doubleValue }.sorted()
            #expect(moments == [28, 52], "\(alerts)")
            // All three lines are found; two alerts.
            let hits = try await client.json("/api/search?q=kotak+suara", headers: vera.headers).body["hits"] as? [[String: Any]] ?? []
            let found = hits.filter { $0["session"] as? String == live }.compactMap { ($0["seconds"] as? NSNumber)?.doubleValue }
            #expect(found.sorted() == [28, 33, 52], "\(hits)")

            // The 30 s pass's transcript reaches those moments (its own wording): the live lines give way to it,
            // each moment is found once, and no alert is raised again.
            try append(archive.machineTranscriptPath(of: live), [Cue(start: 28, end: 31, text: "Kotak suara sudah tiba di kecamatan kami."),
                                                                 Cue(start: 33, end: 36, text: "Kotak suara disegel petugas."),
                                                                 Cue(start: 52, end: 55, text: "Kotak suara cadangan dikirim besok pagi.")])
            var final: [Double] = []
            let settled = ContinuousClock.now
            while ContinuousClock.now - settled < .seconds(12) {
                let hits = try await client.json("/api/search?q=kotak+suara+pagi", headers: vera.headers).body["hits"] as? [[String: Any]] ?? []
                final = hits.filter { $0["session"] as? String == live }.compactMap { ($0["seconds"] as? NSNumber)?.doubleValue }
                if final == [52] { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(final == [52], "the final transcript's words are found")
            try await Task.sleep(for: .milliseconds(1500))
            let again = try await client.json("/api/search?q=kotak+suara", headers: vera.headers).body["hits"] as? [[String: Any]] ?? []
            let once = again.filter { $0["session"] as? String == live }.compactMap { ($0["seconds"] as? NSNumber)?.doubleValue }
            #expect(once.sorted() == [28, 33, 52], "each moment once: \(again)")
            let after = try await AlertRouteTests.alerts(client, vera).compactMap { ($0["seconds"] as? NSNumber)?.doubleValue }.sorted()
            #expect(after == [28, 52], "no alert again: \(after)")
        }
    }
}

