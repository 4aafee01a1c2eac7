import Foundation
import SiaranArchive
import SiaranCore
import Testing

/// The officer's tools of issue #29 in Chromium (`Scripts/browser-tools-check`): correct a misheard
/// machine-transcript line in the page's line editor and find it by search; copy a moment link from a
/// hit and open it at the moment; cut a clip around a hit.
@Suite("Transcript correction, moment links and clips in Chromium", .timeLimit(.minutes(20)), .ownThreads)
struct BrowserToolsTests {
    static let script: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Scripts/browser-tools-check").path
    }()

    @Test("a tagger types 'Daftar pemilih tetap…' over 'Naftar pemilih…', presses Enter, and search for 'daftar pemilih' lands on that line; a hit's moment link opens at its moment; a hit's clip downloads")
    func correctFindShare() throws {
        let (_, archive, id) = try Harness.importedForBrowser("browser-tools", seconds: 20)
        // The machine transcript, as speech-to-text writes it (with two misheard words).
        let store = Archive(path: archive)
        try FileManager.default.createDirectory(atPath: store.captionsDirectory(of: id), withIntermediateDirectories: true)
        let machine = [Cue(start: 2, end: 5, text: "Naftar pemilih sudah diumumkan di setiap desa."),
                       Cue(start: 6, end: 9, text: "Silakan periksa nama anda di tempat pemungutan suapa."),
                       Cue(start: 12, end: 15, text: "Terima kasih atas perhatiannya.")]
        try AtomicFile.write(Data(("WEBVTT\n\nNOTE machine transcript test\n\n" + WebVTT.renderBlocks(machine)).utf8), to: store.machineTranscriptPath(of: id))
        store.noteChange()
        try Harness.addUser("tono", role: "tagger", archive: archive)

        let port = Harness.freePort()
        let server = try Harness.Running(Harness.siaran, ["serve", "--archive", archive, "--listen", "127.0.0.1:\(port)"],
                                         environment: ["SIARAN_TIMEZONE": "Asia/Jakarta"])
        defer { server.stop() }
        try #require(Harness.waitUntil(timeout: 30) { Harness.accepts(port: port) })
        var arguments = [Self.script, "--base", "http://127.0.0.1:\(port)", "--user", "tono", "--password", "kata-sandi-rahasia", "--session", id,
                         "--misheard", "Naftar pemilih", "--corrected", "Daftar pemilih tetap sudah diumumkan di setiap desa.",
                         "--phone-misheard", "pemungutan suapa", "--phone-corrected", "Silakan periksa nama anda di tempat pemungutan suara.",
                         "--query", "daftar pemilih"]
        if let shots = ProcessInfo.processInfo.environment["SIARAN_SHOTS"] { arguments += ["--shots", shots] }
        let check = try Harness.Running("/usr/bin/env", ["python3"] + arguments).wait(timeout: 280)
        #expect(check.status == 0, "browser-tools-check: \(check.stdout) \(check.stderr.suffix(2000))")
        let results = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [String: Any]]) ?? [:]
        #expect(results.count >= 9, "checks missing: \(results.keys.sorted())")
        for (name, result) in results.sorted(by: { $0.key < $1.key }) {
            #expect(result["ok"] as? Bool == true, "\(name): \(result)")
        }
        // The corrections are in the session's log, by tono; the machine's file is unchanged.
        let log = CorrectionLog(path: store.correctionsPath(of: id)).read()
        #expect(log.map(\.author) == ["web:tono", "web:tono"] && log.map(\.text) == ["Daftar pemilih tetap sudah diumumkan di setiap desa.",
                                                                                 "Silakan periksa nama anda di tempat pemungutan suara."])
        let file = String(decoding: try #require(try PlainFile.read(store.machineTranscriptPath(of: id))), as: UTF8.self)
        #expect(file.contains("Naftar pemilih") && file.contains("pemungutan suapa"))
    }
}
