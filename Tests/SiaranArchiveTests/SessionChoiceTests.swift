import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

/// Which session a command means: named, mistyped, or not named at all.
@Suite("Choosing a session")
struct SessionChoiceTests {
    /// An archive with complete sessions started at the given times (seconds since 1970), by title.
    static func archive(_ sessions: [(title: String, started: Double)]) throws -> (Archive, [String]) {
        let archive = Archive(path: TestFolder.make("choice"))
        var ids: [String] = []
        for session in sessions {
            let started = Date(timeIntervalSince1970: session.started)
            let id = try archive.createSessionDirectory(title: session.title, date: started)
            var m = SessionManifest(id: id, title: session.title, kind: .imported, source: "x.mp4", createdAt: started,
                                    segmentFormat: "ts", targetSegmentDuration: 6)
            m.state = .complete
            m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 60, wallClockStart: started, bytes: 1, discontinuity: false)]
            try archive.saveManifest(m)
            ids.append(id)
        }
        return (archive, ids)
    }

    @Test("without a session, the latest one by start (not by id order); an empty archive says so")
    func latest() throws {
        // Same day: the later session's id sorts first, so the choice must go by start, not by id.
        let (archive, ids) = try Self.archive([("Zebra rapat pagi", 1_631_671_200), ("Apel siang", 1_631_685_600)])
        #expect(ids[1] < ids[0])
        let chosen = try archive.currentOrLatestSession()
        #expect(chosen.id == ids[1] && chosen.live == false)
        #expect(try archive.resolveOrCurrent(nil).chosen)
        #expect(try archive.resolveOrCurrent("zebra").id == ids[0])
        let empty = Archive(path: TestFolder.make("choice-empty"))
        #expect(throws: ArchiveError.self) { try empty.currentOrLatestSession() }
    }

    @Test("a mistyped session id is answered with the nearest ids")
    func nearest() throws {
        let (archive, ids) = try Self.archive([("Sosialisasi juknis", 1_631_671_200), ("Rapat pleno", 1_638_320_400), ("Apel pagi", 1_638_406_800)])
        do {
            _ = try archive.resolve("2021-09-15-sosialisai-juknis")
            Issue.record("a mistyped id was accepted")
        } catch {
            let text = error.description
            #expect(text.contains("did you mean '\(ids[0])'"), "\(text)")
            #expect(!text.contains(ids[2]), "\(text)")
        }
        #expect(SessionChoice.nearest("2021-12-01-rapat-plen", among: ids).first == ids[1])
        // Nothing near: the newest ids are offered.
        #expect(SessionChoice.nearest("zzzzzzzzzzzzzzzzzzzzzzzz", among: ids) == ids.sorted().reversed())
    }

    @Test("a session folder copied in by hand changes the change marker at once; removing it too")
    func copiedFolderChangesMarker() throws {
        let (archive, ids) = try Self.archive([("Rapat pleno", 1_638_320_400)])
        let before = archive.changeMarker()
        #expect(archive.changeMarker() == before)
        let copy = archive.directory(of: "2021-12-01-salinan")
        try FileManager.default.copyItem(atPath: archive.directory(of: ids[0]), toPath: copy)
        let after = archive.changeMarker()
        #expect(after != before)
        try FileManager.default.removeItem(atPath: copy)
        #expect(archive.changeMarker() == before)
    }
}
