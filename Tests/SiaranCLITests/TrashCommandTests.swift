import ArgumentParser
import Foundation
import SiaranArchive
@testable import SiaranCLI
import SiaranCore
import SiaranTestSupport
import Testing

@Suite("siaran sessions --trash / --restore / --purge")
struct TrashCommandTests {
    @Test("a session deleted in the web companion is listed in the trash and restored from the terminal; an unknown id says what to do")
    func restoreFromTerminal() throws {
        let archive = Archive(path: TestFolder.make("trash-cli"))
        try archive.prepare()
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        try archive.saveManifest(SessionManifest(id: id, title: "Rapat pleno", kind: .imported, source: "/tmp/x.mp4", createdAt: Date(),
                                                 segmentFormat: "ts", targetSegmentDuration: 6))
        try SessionManager(archive: archive).trash(id, by: "web:ada")
        #expect(archive.sessionIDs().isEmpty)
        let trashed = SessionManager(archive: archive).trash()
        #expect(trashed.map(\.id) == [id] && trashed.first?.deletedBy == "web:ada" && trashed.first?.title == "Rapat pleno", "what --trash lists")
        let list = try #require(try SiaranCommand.parseAsRoot(["sessions", "--trash", "--archive", archive.root]) as? Sessions)
        try list.run()
        let unknown = try #require(try SiaranCommand.parseAsRoot(["sessions", "--restore", "nope", "--archive", archive.root]) as? Sessions)
        #expect(throws: (any Error).self) { try unknown.run() }
        do { try unknown.run() } catch { #expect("\(error)".contains("siaran sessions --trash")) }
        let restore = try #require(try SiaranCommand.parseAsRoot(["sessions", "--restore", id, "--archive", archive.root]) as? Sessions)
        try restore.run()
        #expect(archive.sessionIDs() == [id] && SessionManager(archive: archive).trash().isEmpty)
    }
}
