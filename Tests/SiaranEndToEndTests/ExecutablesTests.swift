import Foundation
import Testing

@Suite("Two executables", .timeLimit(.minutes(20)), .ownThreads)
struct ExecutablesTests {
    static func libraries(of binary: String) throws -> String {
        try Harness.Running("/usr/bin/ldd", [binary]).wait(timeout: 30).stdout
    }

    @Test("siaran carries no libav; media commands run in siaran-media beside it, and say so when it is missing")
    func split() throws {
        let media = (Harness.siaran as NSString).deletingLastPathComponent + "/siaran-media"
        #expect(!(try Self.libraries(of: Harness.siaran)).contains("libavformat"))
        #expect(try Self.libraries(of: media).contains("libavformat"))

        // siaran alone, without its sibling: the archive commands work, a media command explains.
        let folder = Harness.temporaryFolder("lonely")
        let lonely = folder + "/siaran"
        try FileManager.default.copyItem(atPath: Harness.siaran, toPath: lonely)
        let archive = Harness.temporaryFolder("archive")
        let analyzed = try Harness.Running(lonely, ["analyze", "pemilih"]).wait(timeout: 30)
        #expect(analyzed.status == 0 && analyzed.stdout.contains("pilih"))
        let listed = try Harness.Running(lonely, ["search", "pemilu", "--archive", archive]).wait(timeout: 30)
        #expect(listed.status == 0, "\(listed.stderr)")
        let record = try Harness.Running(lonely, ["record", "tcp://127.0.0.1:9", "--archive", archive]).wait(timeout: 30)
        #expect(record.status != 0)
        #expect(record.stderr.contains("siaran-media") && record.stderr.contains("swift build"), "\(record.stderr)")

        // Through siaran, a media command is siaran-media's: same arguments, same checks, same answers.
        let help = try Harness.run(["clip", "--help"])
        #expect(help.stdout.contains("--around"))
        let clip = try Harness.run(["clip", "nothing-here", "--from", "0", "--to", "5", "-o", folder + "/x.mp4", "--archive", archive])
        #expect(clip.status != 0)
        #expect(clip.stderr.contains("no session matches 'nothing-here'"), "\(clip.stderr)")
    }

    @Test("siaran-media links no PostgreSQL client (postgres-nio, NIO, BoringSSL); a shared-catalog command goes back to siaran")
    func leanRecorder() throws {
        let media = (Harness.siaran as NSString).deletingLastPathComponent + "/siaran-media"
        let binary = try Data(contentsOf: URL(fileURLWithPath: media), options: .alwaysMapped)
        for module in ["PostgresNIO", "NIOPosix", "CNIOBoringSSL"] {
            #expect(binary.range(of: Data(module.utf8)) == nil, "siaran-media carries \(module)")
        }
        // Asked for a shared catalog (out of reach here: the pool gives up after about a minute), siaran-media
        // answers as siaran does, because it is siaran answering; alone, it says it needs siaran.
        let archive = Harness.temporaryFolder("archive")
        let arguments = ["search", "pemilu", "--archive", archive, "--catalog", "postgres://siaran@127.0.0.1:\(Harness.freePort())/none"]
        let lonely = Harness.temporaryFolder("lonely") + "/siaran-media"
        try FileManager.default.copyItem(atPath: media, toPath: lonely)
        let alone = try Harness.Running(lonely, arguments).wait(timeout: 30)
        #expect(alone.status != 0 && alone.stderr.contains("this command needs siaran, which is missing"), "\(alone.stderr)")
        let handingBack = try Harness.Running(media, arguments)
        let direct = try Harness.Running(Harness.siaran, arguments).wait(timeout: 150)
        let handedBack = handingBack.wait(timeout: 30)
        #expect(handedBack.status == 0 && direct.status == 0, "\(handedBack.stderr)")
        #expect(handedBack.stderr.contains("the shared catalog is out of reach"), "\(handedBack.stderr)")
        #expect(handedBack.stdout == direct.stdout)
    }
}
