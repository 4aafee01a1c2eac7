import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SiaranArchive
import SiaranCore
@testable import SiaranServer
import SiaranTestSupport
import Testing

/// The unconfirmed tail of live captions (issue 32): what the server makes of the recorder's
/// `captions/asr-live-tail.json` as it is written, replaced, agreed, removed or left stale, and that it
/// never reads it through a symbolic link, and never makes it a transcript line or a quote.
@Suite("Live captions: the unconfirmed tail")
struct LiveTailTests {
    static func words(_ text: String, from: Double) -> [LiveCaptionTail.Word] {
        text.split(separator: " ").enumerated().map { LiveCaptionTail.Word(start: from + Double($0) * 0.5, end: from + Double($0) * 0.5 + 0.4, text: String($1)) }
    }

    @Test("written, replaced, agreed and removed, each sent once; stale (old, or the recorder gone) taken off; a linked or oversized tail never read")
    func lifecycle() throws {
        let root = TestFolder.make("tail")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let archive = Archive(path: root + "/archive")
        try archive.prepare()
        let id = try archive.createSessionDirectory(title: "Konferensi pers", date: Date())
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        var lock: SessionLock? = try SessionLock.take(path: archive.lockPath(of: id))
        let now = Date()
        func look(_ last: LiveTailSeen?, at time: Date = now) -> (LiveTailSeen, [String]?) {
            let (seen, changed) = LiveTailSeen.look(archive: archive, id: id, last: last, now: time)
            return (seen, changed?.map(\.text))
        }
        var (seen, changed) = look(nil)
        #expect(changed == nil, "no tail, nothing sent")
        try LiveCaptionTail.write(Self.words("Logistik pemilu", from: 10), archive: archive, id: id, now: now)
        (seen, changed) = look(seen)
        #expect(changed == ["Logistik", "pemilu"])
        (seen, changed) = look(seen)
        #expect(changed == nil, "an unchanged tail is sent once")
        try LiveCaptionTail.write(Self.words("pemilu dikirim besok", from: 10.5), archive: archive, id: id, now: now)
        (seen, changed) = look(seen)
        #expect(changed == ["pemilu", "dikirim", "besok"], "replaced")
        try LiveCaptionTail.write([], archive: archive, id: id, now: now)
        (seen, changed) = look(seen)
        #expect(changed == [], "all agreed: the tail is empty")
        try LiveCaptionTail.write(Self.words("ke kecamatan", from: 12), archive: archive, id: id, now: now)
        (seen, changed) = look(seen)
        #expect(changed == ["ke", "kecamatan"])
        // Not rewritten for longer than maximumAge (a hung recorder): taken off, and not sent again.
        (seen, changed) = look(seen, at: now.addingTimeInterval(LiveCaptionTail.maximumAge + 1))
        #expect(changed == [] && LiveCaptionTail.current(archive: archive, id: id, now: now.addingTimeInterval(LiveCaptionTail.maximumAge + 1)) == nil)
        (seen, changed) = look(seen, at: now.addingTimeInterval(LiveCaptionTail.maximumAge + 2))
        #expect(changed == nil)
        // A tail written long ago is never shown, even to a page that just opened.
        try LiveCaptionTail.write(Self.words("sudah lama", from: 13), archive: archive, id: id, now: now.addingTimeInterval(-60))
        #expect(look(nil).1 == nil && LiveCaptionTail.current(archive: archive, id: id, now: now) == nil)
        // The recorder killed (kill -9 releases its lock; the file stays): taken off at once.
        try LiveCaptionTail.write(Self.words("surat suara", from: 14), archive: archive, id: id, now: now)
        (seen, changed) = look(nil)
        #expect(changed == ["surat", "suara"])
        lock = nil
        (seen, changed) = look(seen)
        #expect(changed == [] && LiveCaptionTail.current(archive: archive, id: id, now: now) == nil, "a tail without its recorder is stale")
        lock = try SessionLock.take(path: archive.lockPath(of: id))
        defer { withExtendedLifetime(lock) {} }
        (seen, changed) = look(nil)
        #expect(changed == ["surat", "suara"])
        // Removed at the end of the captions: taken off.
        LiveCaptionTail.remove(archive: archive, id: id)
        #expect(!FileManager.default.fileExists(atPath: archive.liveCaptionTailPath(of: id)))
        (seen, changed) = look(seen)
        #expect(changed == [])

        // A symbolic link for the tail, or for the captions folder, is never read (nor written through when removed).
        let outside = root + "/outside.json"
        let secret = try JSONEncoder().encode(LiveCaptionTail(written: now.timeIntervalSince1970, words: Self.words("rahasia di luar", from: 1)))
        try secret.write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: archive.liveCaptionTailPath(of: id), withDestinationPath: outside)
        #expect(LiveCaptionTail.read(archive: archive, id: id) == nil && look(nil).1 == nil, "a linked tail is refused")
        try FileManager.default.removeItem(atPath: archive.liveCaptionTailPath(of: id))
        let other = try archive.createSessionDirectory(title: "Rapat pleno", date: Date())
        let otherLock = try SessionLock.take(path: archive.lockPath(of: other))
        defer { withExtendedLifetime(otherLock) {} }
        try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        try secret.write(to: URL(fileURLWithPath: root + "/elsewhere/" + Archive.liveCaptionTailName))
        try FileManager.default.createSymbolicLink(atPath: archive.captionsDirectory(of: other), withDestinationPath: root + "/elsewhere")
        #expect(LiveCaptionTail.current(archive: archive, id: other, now: now) == nil && LiveTailSeen.look(archive: archive, id: other, last: nil, now: now).changed == nil)
        LiveCaptionTail.remove(archive: archive, id: other)
        #expect(FileManager.default.fileExists(atPath: root + "/elsewhere/" + Archive.liveCaptionTailName), "nothing removed through a linked folder")
        // Larger than maximumBytes: not read.
        var large = LiveCaptionTail(written: now.timeIntervalSince1970, words: Self.words(String(repeating: "kata ", count: 3000), from: 0))
        try JSONEncoder().encode(large).write(to: URL(fileURLWithPath: archive.liveCaptionTailPath(of: id)))
        #expect(LiveCaptionTail.read(archive: archive, id: id) == nil)
        large.words = Array(large.words.prefix(3))
        try LiveCaptionTail.write(large.words, archive: archive, id: id, now: now)
        #expect(LiveCaptionTail.current(archive: archive, id: id, now: now)?.words.count == 3)
    }

    @Test("the tail reaches a live session's open pages (event tail); it is no transcript line and cannot be starred")
    func pushedNotStored() async throws {
        let fixture = try ServerFixture()
        let archive = fixture.archive, id = fixture.live
        try FileManager.default.createDirectory(atPath: archive.captionsDirectory(of: id), withIntermediateDirectories: true)
        try LiveCaptionTail.write(Self.words("hoaks tentang surat", from: 31), archive: archive, id: id)
        try await fixture.test { client in
            let tono = try await client.signIn("tono")
            let stream = try await client.execute(uri: "/api/sessions/\(id)/updates?limit=3", method: .get, headers: tono.headers) { String(buffer: $0.body) }
            #expect(stream.contains("event: tail\ndata: {\"words\":[{") && stream.contains("\"text\":\"surat\""), "\(stream)")
            let lines = try #require(try await client.json("/api/sessions/\(id)/transcript", headers: tono.headers).body["lines"] as? [[String: Any]])
            #expect(!lines.contains { ($0["text"] as? String ?? "").contains("hoaks") }, "\(lines)")
            for file in [Archive.liveCaptionTailName, Archive.liveCaptionsName] {
                let starred = try await client.execute(uri: "/api/sessions/\(id)/post/quotes", method: .post, headers: tono.writeHeaders,
                                                       body: ByteBuffer(string: #"{"at":31,"file":"\#(file)"}"#)) { $0.status }
                #expect(starred == .notFound, "\(file): \(starred)")
            }
        }
    }
}
