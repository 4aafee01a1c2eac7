import Foundation
import SiaranArchive
import SiaranCore

/// `<archive>/.link-secrets.json`, readable by the archive's owner only: the secrets of the signed
/// links that let a viewer of the national search into an office's player without a second sign-in.
/// The national server keeps one secret per office and signs links with it; each office's server
/// keeps its own and accepts only links signed with it. Never in the shared catalog, logs or pages.
public struct LinkSecrets: Codable, Sendable, Equatable {
    /// This office's own secret: its server accepts links signed with it.
    public var own: String?
    /// Secrets by office: this server signs links to those offices' players with them.
    public var offices: [String: String] = [:]

    public init(own: String? = nil, offices: [String: String] = [:]) {
        self.own = own
        self.offices = offices
    }

    public static func path(in archive: Archive) -> String { archive.root + "/.link-secrets.json" }

    /// The archive's secrets; none when it has no file.
    public static func load(_ archive: Archive) throws(AccountError) -> LinkSecrets {
        let file = path(in: archive)
        guard let data = FileManager.default.contents(atPath: file) else {
            if FileManager.default.fileExists(atPath: file) { throw .unreadable(path: file, reason: "permission denied") }
            return LinkSecrets()
        }
        do { return try JSONCoding.decoder().decode(LinkSecrets.self, from: data) } catch {
            throw .unreadable(path: file, reason: "not a link secrets file (\(error))")
        }
    }

    public func save(in archive: Archive) throws {
        try AtomicFile.write(try JSONCoding.encoder().encode(self), to: Self.path(in: archive), mode: 0o600)
    }

    /// The secret in `file`: its first line, at least 32 characters (`openssl rand -hex 32 > FILE`).
    public static func read(file: String) throws(AccountError) -> String {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw .badSecret(file, reason: "it cannot be read")
        }
        let secret = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard secret.utf8.count >= 32 else {
            throw .badSecret(file, reason: "its first line must hold at least 32 characters (make one with: openssl rand -hex 32 > \(file))")
        }
        return secret
    }
}
