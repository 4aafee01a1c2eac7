import Foundation
import Testing

/// Alerts (issue #32) in Debian's headless Chromium, driven by `Scripts/browser-alerts`, against
/// `siaran serve` on loopback: a viewer saves a two-word search typed into the search page's form, at
/// desktop and phone width; captions saying it, added with `siaran captions`, notify the open page, and
/// at desktop width four pages open at once (one event stream each, the visitor's limit) all.
@Suite("Alerts in Chromium", .timeLimit(.minutes(20)), .ownThreads)
struct AlertsBrowserTests {
    @Test("a two-word search saved from the search form alerts the open page when a caption says it, at desktop and phone width")
    func savedSearchNotifies() throws {
        let (_, archive, id) = try Harness.importedForBrowser("alerts-browser", seconds: 1)
        try Harness.addUser("vera", role: "viewer", archive: archive)
        var script = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { script.deleteLastPathComponent() }
        let port = Harness.freePort()
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"],
                                         environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var arguments = [script.appendingPathComponent("Scripts/browser-alerts").path, "--base", "http://127.0.0.1:\(port)", "--user", "vera",
                         "--password", "kata-sandi-rahasia", "--session", id, "--siaran", Harness.siaran, "--archive", archive,
                         "--desktop", "gudang logistik", "--phone", "surat suara"]
        if let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"] { arguments += ["--shots", shots] }
        let check = try Harness.Running("/usr/bin/env", ["python3"] + arguments).wait(timeout: 240)
        print("browser-alerts: \(check.stdout.prefix(3000))")
        #expect(check.status == 0, "browser-alerts: \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [String: Any]]) ?? [:]
        #expect(results.count == 7, "checks missing: \(results.keys.sorted())")
        for (name, result) in results.sorted(by: { $0.key < $1.key }) { #expect(result["ok"] as? Bool == true, "\(name): \(result)") }
    }
}
