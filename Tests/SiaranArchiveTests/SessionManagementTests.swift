import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing

@Suite("Managing sessions: rename, trash, restore, purge after 30 days")
struct SessionManagementTests {
    @Test("a deleted session leaves the archive whole, is restorable, and is purged only after 30 days")
    func trashAndPurge() throws {
        let (archive, id) = try NewsPostTests.briefing()
        let manager = SessionManager(archive: archive)
        let deleted = Date(timeIntervalSince1970: 1_800_000_000)
        try manager.rename(id, to: "Sosialisasi  Juknis\nBakohumas", by: "web:ada", now: deleted)
        #expect(try archive.loadManifest(id).title == "Sosialisasi  Juknis Bakohumas")
        try manager.trash(id, by: "web:ada", now: deleted)
        #expect(!archive.sessionIDs().contains(id))
        #expect(manager.trash().map(\.id) == [id] && manager.trash().first?.title == "Sosialisasi  Juknis Bakohumas")
        #expect(throws: ManageError.notInTrash("nope")) { try manager.restore("nope", by: nil) }
        #expect(throws: ManageError.notInTrash("../x")) { try manager.restore("../x", by: nil) }
        #expect(try manager.purge(now: deleted.addingTimeInterval(29 * 86400)).isEmpty)
        try manager.restore(id, by: "web:ada")
        #expect(archive.sessionIDs().contains(id) && manager.trash().isEmpty)
        // The tags survive the round trip.
        #expect(try SessionDetails(archive: archive, id: id).timeline.speakerTurns.count == 3)

        try manager.trash(id, by: "web:ada", now: deleted)
        #expect(try manager.purge(now: deleted.addingTimeInterval(31 * 86400)) == [id])
        #expect(manager.trash().isEmpty && !FileManager.default.fileExists(atPath: manager.trashDirectory + "/" + id))
    }

    @Test("a session being recorded is never renamed or deleted")
    func recording() throws {
        let (archive, id) = try NewsPostTests.briefing()
        let lock = try SessionLock.take(path: archive.lockPath(of: id))
        let manager = SessionManager(archive: archive)
        #expect(throws: ManageError.recording(id)) { try manager.trash(id, by: nil) }
        #expect(throws: ManageError.recording(id)) { try manager.rename(id, to: "Baru", by: nil) }
        _ = lock
        #expect(archive.sessionIDs().contains(id))
    }
}
