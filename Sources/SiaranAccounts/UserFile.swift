import Foundation
import SiaranArchive
import SiaranCore

/// One person who may sign in to the web companion.
public struct UserAccount: Codable, Sendable, Equatable {
    public var name: String
    public var role: Role
    /// bcrypt hash of the password (never the password itself).
    public var passwordHash: String
    public var createdAt: Date
    public var passwordChangedAt: Date
    /// The language the web companion speaks to this person ("id", "en"); nil: their browser's.
    public var language: String?
    /// The office this person belongs to on a server with a shared catalog (nil: the server's own).
    /// A user of another office sees, in every search and session, only what that office may see.
    public var office: String?

    public init(name: String, role: Role, passwordHash: String, createdAt: Date = Date(), office: String? = nil) {
        self.name = name
        self.role = role
        self.office = office
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        passwordChangedAt = createdAt
    }
}

/// Problems with the users file and its accounts, with what to do about them.
public enum AccountError: Error, CustomStringConvertible, Sendable, Equatable {
    case unreadable(path: String, reason: String)
    case badName(String)
    case exists(String)
    case unknown(String, known: [String])
    case weakPassword(String)
    case lastAdmin(String)
    case badOffice(String)
    case badSecret(String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read the users file \(path): \(reason); fix or remove it (then add users again with `siaran user add`)"
        case let .badName(name):
            return "'\(name)' cannot be a user name: use 1–64 letters, digits, '.', '_' or '-'"
        case let .exists(name):
            return "there is already a user '\(name)'; `siaran user passwd \(name)` changes the password"
        case let .unknown(name, known):
            return "there is no user '\(name)'" + (known.isEmpty ? "; the archive has no users yet (`siaran user add NAME --role admin`)"
                                                             : " (users: \(known.joined(separator: ", ")))")
        case let .weakPassword(reason):
            return "that password is too weak: \(reason)"
        case let .lastAdmin(name):
            return "'\(name)' is the last admin; add another admin first"
        case let .badSecret(path, reason):
            return "cannot use the secret file \(path): \(reason)"
        case let .badOffice(office):
            return "'\(office)' cannot be an office name: use 1–100 letters, digits, '.', '_' or '-', as `siaran catalog office` names it"
        }
    }
}

/// `<archive>/.users.json`: the web companion's accounts, readable by the archive's owner only
/// (mode 0600), replaced atomically on every change.
public struct UserFile: Sendable {
    public let path: String

    public init(archive: Archive) { path = archive.root + "/.users.json" }
    public init(path: String) { self.path = path }

    struct Contents: Codable {
        var formatVersion = 1
        var users: [UserAccount] = []
    }

    /// Every account, sorted by name; none when the file does not exist yet.
    public func load() throws(AccountError) -> [UserAccount] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw .unreadable(path: path, reason: "permission denied") }
            return []
        }
        do {
            return try JSONCoding.decoder().decode(Contents.self, from: data).users.sorted { $0.name < $1.name }
        } catch {
            throw .unreadable(path: path, reason: "not a users file (\(error))")
        }
    }

    public func account(named name: String) throws(AccountError) -> UserAccount? {
        try load().first { $0.name == name }
    }

    public func add(name: String, role: Role, password: String, cost: UInt8 = PasswordHash.defaultCost, office: String? = nil) throws -> UserAccount {
        guard Self.isValidName(name) else { throw AccountError.badName(name) }
        if let office, !Self.isValidOffice(office) { throw AccountError.badOffice(office) }
        if let weakness = PasswordHash.weakness(of: password, name: name) { throw AccountError.weakPassword(weakness) }
        var users = try load()
        if users.contains(where: { $0.name == name }) { throw AccountError.exists(name) }
        let account = UserAccount(name: name, role: role, passwordHash: PasswordHash.make(password, cost: cost), office: office)
        users.append(account)
        try save(users)
        return account
    }

    public func remove(name: String) throws {
        var users = try load()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw AccountError.unknown(name, known: users.map(\.name)) }
        if users[index].role == .admin && users.filter({ $0.role == .admin }).count == 1 && users.count > 1 {
            throw AccountError.lastAdmin(name)
        }
        users.remove(at: index)
        try save(users)
    }

    public func setPassword(name: String, password: String, cost: UInt8 = PasswordHash.defaultCost) throws {
        var users = try load()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw AccountError.unknown(name, known: users.map(\.name)) }
        if let weakness = PasswordHash.weakness(of: password, name: name) { throw AccountError.weakPassword(weakness) }
        users[index].passwordHash = PasswordHash.make(password, cost: cost)
        users[index].passwordChangedAt = Date()
        try save(users)
    }

    /// Sets the language the web companion speaks to `name` (nil: follow the browser).
    public func setLanguage(name: String, language: String?) throws {
        var users = try load()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw AccountError.unknown(name, known: users.map(\.name)) }
        users[index].language = language
        try save(users)
    }

    /// Sets the office `name` belongs to (nil: the server's own).
    public func setOffice(name: String, office: String?) throws {
        if let office, !Self.isValidOffice(office) { throw AccountError.badOffice(office) }
        var users = try load()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw AccountError.unknown(name, known: users.map(\.name)) }
        users[index].office = office
        try save(users)
    }

    public func setRole(name: String, role: Role) throws {
        var users = try load()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw AccountError.unknown(name, known: users.map(\.name)) }
        if users[index].role == .admin && role != .admin && users.filter({ $0.role == .admin }).count == 1 {
            throw AccountError.lastAdmin(name)
        }
        users[index].role = role
        try save(users)
    }

    /// The account whose name and password these are, or nil. Takes bcrypt's time whether or not
    /// the name exists, so that a sign-in's timing does not tell which names are real.
    public func verify(name: String, password: String) throws(AccountError) -> UserAccount? {
        let account = try account(named: name)
        let hash = account?.passwordHash ?? Self.decoyHash
        let matches = PasswordHash.matches(password, hash: hash)
        return matches ? account : nil
    }

    private static let decoyHash = PasswordHash.make("siaran-decoy-password", cost: PasswordHash.defaultCost)

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    /// An office's name: 1–100 letters, digits, '-', '_' or '.' (users' offices and `siaran catalog office`).
    public static func isValidOffice(_ office: String) -> Bool {
        (1...100).contains(office.count) && office.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }

    private func save(_ users: [UserAccount]) throws {
        let data = try JSONCoding.encoder().encode(Contents(users: users.sorted { $0.name < $1.name }))
        try AtomicFile.write(data, to: path, mode: 0o600)
    }
}
