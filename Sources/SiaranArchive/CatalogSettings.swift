import Foundation
import SiaranCore

/// The shared catalog this archive's office pushes its sessions to, typed once by the officer
/// (`siaran catalog connect`) and kept in `<archive>/.catalog.json`, readable by the archive's owner
/// only (the URL may hold the office role's password). `--catalog`/`--office` and
/// `$SIARAN_CATALOG`/`$SIARAN_OFFICE` win over it.
public struct CatalogSettings: Codable, Sendable, Equatable {
    public var catalog: String
    public var office: String
    /// A read replica of the catalog that searches read from (`--catalog-read`); nil: none.
    public var catalogRead: String?

    public init(catalog: String, office: String, catalogRead: String? = nil) {
        self.catalog = catalog
        self.office = office
        self.catalogRead = catalogRead
    }

    public static func path(in archive: Archive) -> String { archive.root + "/.catalog.json" }

    /// The archive's settings; nil when it has none (or they cannot be read: then the archive works
    /// on its own, as an office without a connection does).
    public static func load(_ archive: Archive) -> CatalogSettings? {
        guard let data = try? PlainFile.read(path(in: archive)) else { return nil }
        return try? JSONCoding.decoder().decode(CatalogSettings.self, from: data)
    }

    public func save(in archive: Archive) throws {
        try AtomicFile.write(try JSONCoding.encoder().encode(self), to: Self.path(in: archive), mode: 0o600)
    }

    public static func remove(from archive: Archive) throws {
        let file = path(in: archive)
        if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
    }
}
