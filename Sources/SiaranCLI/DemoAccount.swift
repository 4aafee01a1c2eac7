import Foundation
import SiaranAccounts
import SiaranArchive

/// The account `siaran demo --serve` makes so that a newcomer can sign in to the web companion.
public enum DemoAccount {
    public static let name = "demo"

    /// When the archive has no users yet, adds `demo` (admin) with a new random password and
    /// returns the name and password (to print once; only its bcrypt hash is stored). Nil when
    /// the archive already has accounts: they are the ones to sign in with.
    public static func makeIfNone(in archive: Archive, cost: UInt8 = PasswordHash.defaultCost) throws -> (name: String, password: String)? {
        let file = UserFile(archive: archive)
        guard try file.load().isEmpty else { return nil }
        let password = randomPassword()
        _ = try file.add(name: name, role: .admin, password: password, cost: cost)
        return (name, password)
    }

    /// 16 characters from letters and digits that cannot be mistaken for one another (no 0/O, 1/l/I).
    static func randomPassword(length: Int = 16) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// What the demo prints about signing in.
    public static func signInLine(_ made: (name: String, password: String)?, archive: Archive, port: Int) -> String {
        guard let made else {
            return "sign in at http://127.0.0.1:\(port)/ with an account of \(UserFile(archive: archive).path) (`siaran user list --archive \(archive.root)`)"
        }
        return "sign in at http://127.0.0.1:\(port)/ as \(made.name) with the password \(made.password) (admin; shown only now; `siaran user passwd \(made.name) --archive \(archive.root)` changes it)"
    }
}
