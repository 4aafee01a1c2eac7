import Foundation
import SiaranArchive
import SiaranCore
import Testing
import SiaranTestSupport

@Suite("The office's voice library")
struct VoiceLibraryTests {
    func library() throws -> VoiceLibrary {
        let archive = Archive(path: TestFolder.make("voicelib"))
        try archive.prepare()
        return VoiceLibrary(archive: archive)
    }

    func vector(_ value: Double) -> [Double] { Array(repeating: value, count: 256) }

    func mode(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test("off by default: enrolment is refused until an admin turns it on, and who did it is recorded")
    func offByDefault() throws {
        let voices = try library()
        defer { try? FileManager.default.removeItem(atPath: voices.archive.root) }
        #expect(!voices.isEnabled)
        // An archive folder that does not exist yet is made (`siaran voices --enable` before the first recording).
        let fresh = VoiceLibrary(archive: Archive(path: voices.archive.root + "/not-yet"))
        try fresh.setEnabled(true, by: "admin@office")
        #expect(fresh.isEnabled)
        let sample = VoiceLibrary.Sample(session: "s1", seconds: 12, basis: "tag", vector: vector(0.0625))
        #expect(throws: VoiceLibrary.Problem.disabled) { try voices.enroll("Ilham Saputra", sample: sample, by: "admin@office") }
        #expect(!FileManager.default.fileExists(atPath: voices.libraryPath))
        try voices.setEnabled(true, by: "admin@office")
        #expect(voices.isEnabled && voices.settings().changedBy == "admin@office")
        try voices.setEnabled(false, by: "boss@office")
        #expect(!voices.isEnabled)
        let history = String(decoding: try #require(FileManager.default.contents(atPath: voices.historyPath)), as: UTF8.self)
        #expect(history.contains(#""action":"enable""#) && history.contains(#""by":"boss@office""#))
    }

    @Test("the library is 0600 in a 0700 hidden folder that is no session; deleting a person removes their vectors from the disk")
    func privacy() throws {
        let voices = try library()
        defer { try? FileManager.default.removeItem(atPath: voices.archive.root) }
        try voices.setEnabled(true, by: "admin@office")
        // A distinctive number that appears in the file only as this person's vector.
        try voices.enroll("Ilham Saputra", sample: .init(session: "s1", seconds: 12, basis: "tag", vector: vector(0.0123457)), by: "a")
        try voices.enroll("ilham saputra", sample: .init(session: "s2", seconds: 9, basis: "tag", vector: vector(0.0123457)), by: "a")
        try voices.enroll("ILHAM SAPUTRA", sample: .init(session: "s2", seconds: 20, basis: "tag", vector: vector(0.0123457)), by: "a")
        try voices.enroll("Raka Sandi", sample: .init(session: nil, source: "raka.wav", seconds: 10, basis: "sample", vector: vector(0.0987654)), by: "a")
        #expect(mode(voices.libraryPath) == 0o600 && mode(voices.folder) == 0o700 && mode(voices.historyPath) == 0o600)
        #expect(!voices.archive.sessionIDs().contains(".voices"))
        let people = try voices.people()
        #expect(people.map(\.name) == ["Ilham Saputra", "Raka Sandi"])
        #expect(people[0].samples == 2 && people[0].sessions == ["s1", "s2"])
        let worker = try #require(try JSONSerialization.jsonObject(with: voices.workerLibrary()) as? [[String: Any]])
        #expect(worker.count == 3 && worker.allSatisfy { ($0["vector"] as? [Double])?.count == 256 })

        // A hard link keeps the old file's bytes reachable: they must be overwritten, not just unlinked.
        let old = voices.folder + "/old-link"
        try FileManager.default.linkItem(atPath: voices.libraryPath, toPath: old)
        #expect(throws: VoiceLibrary.Problem.notEnrolled("Ilham", enrolled: ["Ilham Saputra", "Raka Sandi"])) {
            try voices.delete("Ilham", by: "admin")
        }
        #expect(try voices.delete("ILHAM SAPUTRA", by: "admin") == "Ilham Saputra")
        let now = String(decoding: try #require(FileManager.default.contents(atPath: voices.libraryPath)), as: UTF8.self)
        #expect(!now.contains("0.0123457") && !now.contains("Ilham") && now.contains("0.0987654"))
        let before = try #require(FileManager.default.contents(atPath: old))
        #expect(!before.isEmpty && before.allSatisfy { $0 == 0 })
        try FileManager.default.removeItem(atPath: old)
        let left = try FileManager.default.contentsOfDirectory(atPath: voices.folder).sorted()
        #expect(left == [".lock", "history.jsonl", "library.json", "settings.json"])
        #expect(try voices.people().map(\.name) == ["Raka Sandi"])
    }
}
