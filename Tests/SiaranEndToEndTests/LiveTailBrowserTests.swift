import Foundation
import SiaranArchive
import Testing

/// The unconfirmed tail of live captions (issue #32) in Debian's headless Chromium, driven by
/// `Scripts/browser-live-tail` against `siaran serve` on loopback: on a session being recorded (its
/// lock held here, as a recorder holds it), the tail the recorder writes shows greyed and labelled
/// "belum pasti" on the session page and the live console at desktop and phone width, becomes a
/// starrable live line as it is agreed, and leaves the page when it goes stale.
///
/// It runs in a `swift test` of its own (`.ci/run`: `SIARAN_TEST_ALONE=LiveTailBrowserTests swift test
/// --skip-build --filter LiveTailBrowserTests`, 23 s): in the full run it passed its browser checks and
/// then held the run's results back until its 10-minute limit, twice in two runs (session 13; every
/// test finished meanwhile reported at once after it, in-process live updates waited ~600 s). Alone,
/// or beside the server suites, it passes. Session 14 found the likely cause in the end-to-end tests'
/// executor (jobs in order behind blocking test bodies; see OwnThreads.swift) and changed it; full runs
/// with this test included were green, and it goes back into them once more runs confirm it. Its time
/// limit, like every suite's, counts the wait for a slot (`TestSlots`).
@Suite("Live captions' unconfirmed tail in Chromium", .timeLimit(.minutes(20)), .ownThreads,
       .enabled(if: ProcessInfo.processInfo.environment["SIARAN_TEST_ALONE"] == "LiveTailBrowserTests",
                "runs alone: SIARAN_TEST_ALONE=LiveTailBrowserTests swift test --skip-build --filter LiveTailBrowserTests"))
struct LiveTailBrowserTests {
    @Test("the grey unconfirmed tail, then its confirmed line, on the session page and the live console at 1280×900 and 390×844")
    func greyTailThenConfirmed() throws {
        let (_, archive, id) = try Harness.importedForBrowser("live-tail", seconds: 12)
        let store = Archive(path: archive)
        var manifest = try store.loadManifest(id)
        manifest.state = .recording
        try store.saveManifest(manifest)
        let lock = try SessionLock.take(path: store.lockPath(of: id))
        defer { withExtendedLifetime(lock) {} }
        try Harness.addUser("tono", role: "tagger", archive: archive)
        var script = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { script.deleteLastPathComponent() }
        let port = Harness.freePort()
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var arguments = [script.appendingPathComponent("Scripts/browser-live-tail").path, "--base", "http://127.0.0.1:\(port)", "--user", "tono",
                         "--password", "kata-sandi-rahasia", "--session", id, "--archive", archive]
        if let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"] { arguments += ["--shots", shots] }
        let check = try Harness.Running("/usr/bin/env", ["python3"] + arguments).wait(timeout: 240)
        print("browser-live-tail: \(check.stdout.prefix(3000))")
        #expect(check.status == 0, "browser-live-tail: \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [String: Any]]) ?? [:]
        #expect(results.count == 4, "checks missing: \(results.keys.sorted())")
        for (name, result) in results.sorted(by: { $0.key < $1.key }) { #expect(result["ok"] as? Bool == true, "\(name): \(result)") }
        // What the tail said is in no transcript line (it is not a caption file).
        let lines = CorrectedTranscript.lines(archive: store, id: id)
        #expect(!lines.contains { $0.cue.text.contains("kadaluwarsa") || $0.cue.text.contains("besok") || $0.cue.text.contains("warga") }, "\(lines.map(\.cue.text))")
    }
}
