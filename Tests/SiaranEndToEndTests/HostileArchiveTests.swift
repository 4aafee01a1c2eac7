import Foundation
import GRDB
import SiaranArchive
import Testing

/// The archive-facing promises of the Security section, through the commands people run.
@Suite("Hostile archives and careless colleagues, end to end", .timeLimit(.minutes(20)), .ownThreads)
struct HostileArchiveTests {
    /// An archive with the example session copied in (media, captions, tags), and its id.
    func exampleArchive() throws -> (root: String, id: String) {
        let root = Harness.temporaryFolder("archive")
        var source = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { source.deleteLastPathComponent() }
        let sessions = source.appendingPathComponent("sessions").path
        let id = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions).first { $0.hasPrefix("2021-09-15-demo") })
        try FileManager.default.copyItem(atPath: sessions + "/" + id, toPath: root + "/" + id)
        return (root, id)
    }

    @Test("a crafted catalog path or a linked segment never makes search or clip read outside the archive")
    func craftedPaths() throws {
        let (root, id) = try exampleArchive()
        let secret = Harness.temporaryFolder("outside") + "/secret.vtt"
        try "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nRAHASIA-DI-LUAR-ARSIP memfilter\n".write(toFile: secret, atomically: true, encoding: .utf8)
        #expect(try Harness.run(["search", "memfilter", "--archive", root]).status == 0)
        // Point every indexed caption file at the outside file, as a crafted catalog would.
        try DatabaseQueue(path: root + "/catalog.sqlite").inDatabase { db in
            try db.execute(sql: "UPDATE caption_file SET path = ?", arguments: [secret])
        }
        let search = try Harness.run(["search", "memfilter", "--archive", root, "--json"])
        #expect(!search.stdout.contains("RAHASIA"), "search printed bytes of a file outside the archive")
        try DatabaseQueue(path: root + "/catalog.sqlite").inDatabase { db in
            try db.execute(sql: "UPDATE caption_file SET path = ?", arguments: ["\(id)/../../outside/secret.vtt"])
        }
        #expect(!(try Harness.run(["search", "memfilter", "--archive", root, "--json"])).stdout.contains("RAHASIA"))
        // A segment replaced by a link to a file elsewhere: clip refuses it, naming it.
        let media = Archive(path: root).mediaDirectory(of: id)
        try FileManager.default.removeItem(atPath: media + "/000000.ts")
        try FileManager.default.createSymbolicLink(atPath: media + "/000000.ts", withDestinationPath: "/etc/passwd")
        let clip = try Harness.run(["clip", id, "--from", "0", "--to", "3", "-o", root + "/c.mp4", "--archive", root])
        #expect(clip.status != 0 && clip.stderr.contains("000000.ts") && clip.stderr.contains("not a plain file"), "\(clip.stderr)")
    }

    @Test("an archive Siaran cannot write is still searched (its catalog kept in the user's cache)")
    func readOnlyArchive() throws {
        guard getuid() == 0 else { return }  // permissions bind only a user other than root: run as nobody
        let (root, _) = try exampleArchive()
        let home = Harness.temporaryFolder("home")
        _ = try Harness.Running("/bin/chmod", ["-R", "a+rX,a-w", root]).wait()
        _ = try Harness.Running("/bin/chmod", ["777", home]).wait()
        defer { _ = try? Harness.Running("/bin/chmod", ["-R", "u+w", root]).wait() }
        let result = try Harness.Running("/usr/sbin/runuser", ["-u", "nobody", "--", "/usr/bin/env", "HOME=\(home)", Harness.siaran,
                                                               "search", "memfilter", "--archive", root]).wait(timeout: 60)
        #expect(result.status == 0 && result.stdout.contains("«memfilter»"), "\(result.status) \(result.stdout) \(result.stderr)")
        #expect(!result.stderr.contains("SQLite error"), "\(result.stderr)")
    }

    @Test("argument errors and libav's debug log never print a stream key; show '' is refused")
    func keysInErrorsAndLogs() throws {
        let argument = try Harness.run(["sessions", "rtmp://h/live/sk_live_SECRET123"])
        #expect(argument.status != 0 && argument.stderr.contains("rtmp://h/live/***") && !argument.stderr.contains("SECRET123"), "\(argument.stderr)")
        let port = Harness.freePort()
        let key = "sk_live_0a1b2c3d4e5f"
        let archive = Harness.temporaryFolder("archive")
        let recorder = try Harness.Running(Harness.siaran, ["record", "rtmp://127.0.0.1:\(port)/live/\(key)", "--listen", "--archive", archive,
                                                            "--segment-duration", "2", "--stop-after", "5"], environment: ["SIARAN_LIBAV_LOG": "debug"])
        #expect(Harness.waitUntil(timeout: 10) { Harness.accepts(port: port) })
        _ = try Harness.ffmpegSource(format: "flv", output: "rtmp://127.0.0.1:\(port)/live/wrong_0a1b2c3d4e", extra: ["-t", "3"]).wait(timeout: 30)
        let pusher = try Harness.ffmpegSource(format: "flv", output: "rtmp://127.0.0.1:\(port)/live/\(key)")
        defer { pusher.stop() }
        let result = recorder.wait(timeout: 60)
        #expect(result.status == 0)
        #expect(result.stderr.contains("libav:"), "the debug log was not on")
        for secret in [key, "wrong_0a1b2c3d4e"] {
            #expect(!result.stderr.contains(secret), "libav's debug log printed \(secret)")
        }
        let show = try Harness.run(["show", "", "--archive", archive])
        #expect(show.status != 0 && show.stderr.contains("give a session id"), "\(show.stderr)")
    }
}
