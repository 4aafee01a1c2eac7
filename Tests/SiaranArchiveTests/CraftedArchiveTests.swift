import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

/// Archives as an attacker or a careless copy leaves them: Siaran reads and writes only plain files
/// inside the archive, and says which file it refused.
@Suite("Crafted archives")
struct CraftedArchiveTests {
    /// A fresh archive with one complete session, and a file outside it that must never change.
    func setUp() throws -> (archive: Archive, id: String, outside: String) {
        let root = TestFolder.make("crafted")
        try FileManager.default.createDirectory(atPath: root + "/archive", withIntermediateDirectories: true)
        let archive = Archive(path: root + "/archive")
        let id = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        var m = SessionManifest(id: id, title: "Rapat pleno", kind: .imported, source: "x.mp4", createdAt: Date(),
                                segmentFormat: "ts", targetSegmentDuration: 6)
        m.state = .complete
        m.segments = [SegmentRecord(sequence: 0, file: "000000.ts", mediaStart: 0, duration: 60, wallClockStart: Date(), bytes: 1, discontinuity: false)]
        try archive.saveManifest(m)
        let outside = root + "/outside.txt"
        try "do not touch\n".write(toFile: outside, atomically: true, encoding: .utf8)
        return (archive, id, outside)
    }

    func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func rewriteManifest(_ archive: Archive, _ id: String, _ change: (inout [String: Any]) -> Void) throws {
        let path = archive.manifestPath(of: id)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        change(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
    }

    @Test("a symlinked events.jsonl is neither appended to nor read; the tag is refused naming the file")
    func symlinkedEventLog() throws {
        let (archive, id, outside) = try setUp()
        try FileManager.default.createSymbolicLink(atPath: archive.eventsPath(of: id), withDestinationPath: outside)
        #expect(throws: ArchiveError.self) { try Tagger(archive: archive).tag(session: id, kind: .note, value: "$(touch /tmp/pwned)", at: 1) }
        do { _ = try Tagger(archive: archive).tag(session: id, kind: .note, value: "x", at: 1) } catch {
            #expect("\(error)".contains("events.jsonl") && "\(error)".contains("symbolic link"), "\(error)")
        }
        #expect(contents(outside) == "do not touch\n")
        #expect(EventLog(path: archive.eventsPath(of: id)).read().events.isEmpty)
    }

    @Test("a symlinked session lock is not truncated or written")
    func symlinkedLock() throws {
        let (archive, id, outside) = try setUp()
        try FileManager.default.createDirectory(atPath: archive.locksDirectory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: archive.lockPath(of: id), withDestinationPath: outside)
        #expect(SessionLock(path: archive.lockPath(of: id)) == nil)
        #expect(throws: ArchiveError.self) { try SessionLock.take(path: archive.lockPath(of: id)) }
        #expect(contents(outside) == "do not touch\n")
    }

    @Test("a planted .tmp link is replaced, not written through, by an atomic write")
    func plantedTemporary() throws {
        let (archive, id, outside) = try setUp()
        try FileManager.default.createSymbolicLink(atPath: archive.manifestPath(of: id) + ".tmp", withDestinationPath: outside)
        try archive.saveManifest(try archive.loadManifest(id))
        #expect(contents(outside) == "do not touch\n")
        #expect(try archive.loadManifest(id).id == id)
    }

    @Test("a manifest whose id is not its folder's (a copied session) is refused, naming the file and the fix")
    func copiedFolder() throws {
        let (archive, id, _) = try setUp()
        try rewriteManifest(archive, id) { $0["id"] = "2021-09-15-original" }
        do {
            _ = try archive.loadManifest(id)
            Issue.record("a manifest of another session's id was accepted")
        } catch {
            #expect("\(error)".contains("session.json") && "\(error)".contains("2021-09-15-original") && "\(error)".contains("its own id"), "\(error)")
        }
        try rewriteManifest(archive, id) { $0["id"] = "../elsewhere" }
        #expect(throws: ArchiveError.self) { try archive.loadManifest(id) }
    }

    @Test("segment names with ../ or a slash are refused", arguments: ["../../outside.txt", "/etc/passwd", "a/b.ts", ".hidden", ""])
    func segmentNames(name: String) throws {
        let (archive, id, _) = try setUp()
        try rewriteManifest(archive, id) { json in
            var segments = json["segments"] as! [[String: Any]]
            segments[0]["file"] = name
            json["segments"] = segments
        }
        do {
            _ = try archive.loadManifest(id)
            Issue.record("segment name \(name) was accepted")
        } catch {
            #expect("\(error)".contains("not a plain file name"), "\(error)")
        }
    }

    @Test("a symlinked captions folder or caption file is not read")
    func symlinkedCaptions() throws {
        let (archive, id, outside) = try setUp()
        let elsewhere = (outside as NSString).deletingLastPathComponent + "/captions-elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nrahasia\n".write(toFile: elsewhere + "/a.vtt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: archive.captionsDirectory(of: id), withDestinationPath: elsewhere)
        #expect(archive.captionFiles(of: id).isEmpty)
        try FileManager.default.removeItem(atPath: archive.captionsDirectory(of: id))
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: archive.captionsDirectory(of: id) + "/01-linked.vtt", withDestinationPath: elsewhere + "/a.vtt")
        #expect(archive.captionFiles(of: id).isEmpty)
        #expect(throws: ArchiveError.self) { try PlainFile.read(archive.captionsDirectory(of: id) + "/01-linked.vtt") }
    }

    @Test("a tag line is written whole or not at all")
    func wholeLines() throws {
        let (archive, id, _) = try setUp()
        _ = try Tagger(archive: archive).tag(session: id, kind: .topic, value: "hoaks", at: 1)
        let log = EventLog(path: archive.eventsPath(of: id)).read()
        #expect(log.events.count == 1 && log.bad.isEmpty)
        #expect(contents(archive.eventsPath(of: id)).hasSuffix("\n"))
    }
}

@Suite("Report text")
struct ReportTextTests {
    @Test("the Markdown report shows pasted HTML, links, emphasis and line breaks as text")
    func markdownEscaped() throws {
        let hostile = "<script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)> **tebal**\n# Judul palsu"
        let inline = SessionReport.inline(hostile)
        // "\[klik\](javascript:…)": with both brackets escaped no link can form, so the parentheses stay as written.
        #expect(!inline.contains("<script>") && !inline.contains("<img") && !inline.contains("[klik](") && inline.contains("\\[klik\\](javascript:"))
        #expect(!inline.contains("\n"))
        #expect(inline.contains("&lt;script&gt;") && inline.contains("\\*\\*tebal\\*\\*") && inline.contains("\\# Judul"))
        #expect(SessionReport.inline("Rapat \u{1B}]0;owned\u{07}pleno") == "Rapat \u{FFFD}\\]0;owned\u{FFFD}pleno")
    }
}
