import Foundation
import HummingbirdTesting
import SiaranArchive
import SiaranCore
@testable import SiaranServer
import Testing

/// How soon a live transcript line (`captions/asr.vtt` of a recording session, appended as the live
/// transcriber does) becomes an alert through the server's watch.
@Suite("Alerts from live lines")
struct AlertLiveTests {
    @Test("a watched word in a live line appended to a recording session is an alert within 15 s")
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
            // The recording session was indexed a moment ago: its next re-index may wait (at most 10 s).
            try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: live), withIntermediateDirectories: true)
            let line = WebVTT.renderBlocks([Cue(start: 50, end: 53, text: "Kotak suara sudah tiba di kecamatan.")])
            let said = ContinuousClock.now
            try AppendOnlyFile.append(Data(line.utf8), to: archive.machineTranscriptPath(of: live), header: Data("WEBVTT\n\n".utf8))
            archive.noteChange()
            var lag: Duration?
            while ContinuousClock.now - said < .seconds(20) {
                if try await AlertRouteTests.alerts(client, vera).contains(where: { $0["session"] as? String == live }) { lag = ContinuousClock.now - said; break }
                try await Task.sleep(for: .milliseconds(200))
            }
            print("alert from a live line after \(lag.map { "\($0)" } ?? "never")")
            let measured = try #require(lag, "no alert within 20 s")
            #expect(measured < .seconds(15))
        }
    }
}
