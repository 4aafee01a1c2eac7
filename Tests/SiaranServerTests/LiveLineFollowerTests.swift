import Foundation
import SiaranArchive
import SiaranCore
@testable import SiaranServer
import SiaranTestSupport
import Testing

/// The server's follower of live lines reads what the recorder appends, and nothing a crafted
/// archive points at outside itself.
@Suite("Following live lines")
struct LiveLineFollowerTests {
    @Test("appended whole blocks are read once; a symbolic link for the live file or the captions folder is not followed")
    func appendedAndLinks() throws {
        let root = TestFolder.make("follower")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let archive = Archive(path: root + "/archive")
        let id = try archive.createSessionDirectory(title: "Konferensi pers", date: Date())
        let other = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        let outside = root + "/outside.vtt"
        try Data((WebVTT.header + WebVTT.renderBlocks([Cue(start: 1, end: 2, text: "Rahasia di luar arsip.")])).utf8).write(to: URL(fileURLWithPath: outside))
        var follower = LiveLineFollower()
        #expect(follower.fresh(archive, recording: [id, other]).isEmpty)

        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try AppendOnlyFile.append(Data(WebVTT.renderBlocks([Cue(start: 28, end: 31, text: "Kotak suara sudah tiba.")]).utf8),
                                  to: archive.liveCaptionsPath(of: id), header: Data(WebVTT.header.utf8))
        // The other session's live file and its transcript's folder are links out of the archive.
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: other), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: archive.liveCaptionsPath(of: other), withDestinationPath: outside)
        #expect(follower.fresh(archive, recording: [id, other]) == [id: ["Kotak suara sudah tiba."]])
        #expect(follower.fresh(archive, recording: [id, other]).isEmpty, "read once")

        try FileManager.default.removeItem(atPath: archive.captionsDirectory(of: other))
        try FileManager.default.createSymbolicLink(atPath: archive.captionsDirectory(of: other), withDestinationPath: root)
        try FileManager.default.copyItem(atPath: outside, toPath: root + "/asr.vtt")
        #expect(follower.fresh(archive, recording: [id, other]).isEmpty, "a linked captions folder is not read")
    }
}
