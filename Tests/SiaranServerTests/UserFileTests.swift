import Foundation
import SiaranAccounts
import SiaranArchive
import SiaranTestSupport
import Testing

@Suite("Web companion: the users file")
struct UserFileTests {
    @Test("accounts are stored with bcrypt hashes in a file only its owner may read, and checked on sign-in")
    func accounts() throws {
        let archive = Archive(path: TestFolder.make("users"))
        try archive.prepare()
        let file = UserFile(archive: archive)
        #expect(try file.load().isEmpty)
        let account = try file.add(name: "ada", role: .admin, password: "rahasia-sekali-123", cost: 4)
        #expect(account.passwordHash.hasPrefix("$2"))
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(!text.contains("rahasia-sekali-123"))
        let mode = (try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try file.verify(name: "ada", password: "rahasia-sekali-123")?.role == .admin)
        #expect(try file.verify(name: "ada", password: "rahasia-sekali-124") == nil)
        #expect(try file.verify(name: "nobody", password: "rahasia-sekali-123") == nil)
        try file.setPassword(name: "ada", password: "kata-sandi-baru-9", cost: 4)
        #expect(try file.verify(name: "ada", password: "rahasia-sekali-123") == nil)
        #expect(try file.verify(name: "ada", password: "kata-sandi-baru-9") != nil)
    }

    @Test("bad names, weak passwords, duplicates, unknown users and removing the last admin are refused with reasons")
    func refusals() throws {
        let archive = Archive(path: TestFolder.make("users"))
        try archive.prepare()
        let file = UserFile(archive: archive)
        _ = try file.add(name: "ada", role: .admin, password: "rahasia-sekali-123", cost: 4)
        _ = try file.add(name: "tono", role: .tagger, password: "rahasia-sekali-456", cost: 4)
        #expect(throws: AccountError.badName("../x")) { try file.add(name: "../x", role: .viewer, password: "rahasia-sekali-123", cost: 4) }
        #expect(throws: AccountError.self) { try file.add(name: "vera", role: .viewer, password: "short", cost: 4) }
        #expect(throws: AccountError.self) { try file.add(name: "vera", role: .viewer, password: "vera-vera-vera-vera", cost: 4) }
        #expect(throws: AccountError.exists("ada")) { try file.add(name: "ada", role: .viewer, password: "rahasia-sekali-789", cost: 4) }
        #expect(throws: AccountError.lastAdmin("ada")) { try file.remove(name: "ada") }
        #expect(throws: AccountError.lastAdmin("ada")) { try file.setRole(name: "ada", role: .viewer) }
        #expect(throws: AccountError.self) { try file.remove(name: "nobody") }
        try file.setRole(name: "tono", role: .admin)
        try file.remove(name: "ada")
        #expect(try file.load().map(\.name) == ["tono"])
        try Data("not json".utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(throws: AccountError.self) { try file.load() }
    }

    @Test("roles include the ones below them")
    func roles() {
        #expect(Role.admin.allows(.tagger) && Role.tagger.allows(.viewer) && !Role.viewer.allows(.tagger) && !Role.tagger.allows(.admin))
    }
}
