import Foundation

/// One office of a shared catalog, as `siaran catalog status` shows it.
public struct OfficeStatus: Sendable, Codable, Equatable {
    public var name: String
    /// The database role that acts as this office, when one was given.
    public var role: String?
    /// The national team's: it sees every office's sessions.
    public var seesAll: Bool
    /// Where the office serves its sessions' media from.
    public var mediaURL: String?
    /// Sessions and rows of the office that the asking connection may see.
    public var sessions: Int
    public var rows: Int
    /// When the office last compared its archive with the catalog (its last push); nil: never.
    public var lastPush: Date?
    /// The start of its newest session.
    public var newestSession: Date?
    /// How its last push went, as the office wrote it (nil: none written, or not the asker's to see).
    public var push: OfficePush?

    public init(name: String, role: String?, seesAll: Bool, mediaURL: String?, sessions: Int, rows: Int, lastPush: Date?, newestSession: Date?,
                push: OfficePush? = nil) {
        self.push = push
        self.name = name
        self.role = role
        self.seesAll = seesAll
        self.mediaURL = mediaURL
        self.sessions = sessions
        self.rows = rows
        self.lastPush = lastPush
        self.newestSession = newestSession
    }
}

/// A shared catalog's state: its schema, its offices, and who is asking.
public struct SharedCatalogStatus: Sendable, Codable, Equatable {
    /// The catalog's address, never its password.
    public var location: String
    public var schemaVersion: Int
    public var offices: [OfficeStatus]
    /// The office the connection's database role acts as; nil for the tables' owner.
    public var actingAs: String?
    /// Whether offices' roles can search through the word index under row-level security (a
    /// superuser declared the tsvector match leak-proof); without it their searches scan.
    public var indexedTenantSearch: Bool

    public init(location: String, schemaVersion: Int, offices: [OfficeStatus], actingAs: String?, indexedTenantSearch: Bool) {
        self.location = location
        self.schemaVersion = schemaVersion
        self.offices = offices
        self.actingAs = actingAs
        self.indexedTenantSearch = indexedTenantSearch
    }
}

/// What a shared catalog offers beyond searching and indexing: its offices, their roles and what
/// they share. Implemented by the PostgreSQL catalog; the command line reaches it through here.
public protocol SharedCatalogAdministration: Sendable {
    func status() async throws -> SharedCatalogStatus
    /// Adds an office or changes it (the tables' owner only). `role`: the existing database role
    /// that acts as the office, granted what an office needs; `seesAll`: the national team's.
    func addOffice(_ name: String, role: String?, seesAll: Bool, mediaURL: String?) async throws
    /// Sets where this office serves its media from (nil: nowhere said).
    func setMediaURL(_ url: String?) async throws
    /// Lets `viewer` (an office, or `*` for every office) see this office's session `session` (`*`: all of them).
    func share(session: String, with viewer: String) async throws
    func unshare(session: String, with viewer: String) async throws
}

/// An engine whose catalogs are shared by many offices.
public protocol SharedCatalogEngine: SearchIndexEngine {
    var office: String { get }
    func administration() throws -> any SharedCatalogAdministration
}

/// An index whose answers can be narrowed to what one office may see (a shared catalog enforcing
/// tenancy): a server gives each signed-in user of another office this view of it.
public protocol ViewableSearchIndex: SearchIndex {
    /// This index as `office` sees it: every search, suggestion, name and count limited to that
    /// office's sessions and what is shared with it. Writes are this index's own, unchanged.
    func viewed(by office: String) -> any SearchIndex
    /// The ids of `owner`'s sessions that `viewer` may see.
    func sessionIDs(of owner: String, viewedBy viewer: String) async throws -> Set<String>
    /// The offices some of whose sessions `viewer` (nil: this connection's own view) may see.
    func offices(viewedBy viewer: String?) async throws -> [VisibleOffice]
}

/// An office as a searcher sees it: its name, how many of its sessions they may see, and where it
/// serves them from.
public struct VisibleOffice: Sendable, Codable, Equatable {
    public var name: String
    public var sessions: Int
    public var mediaURL: String?

    public init(name: String, sessions: Int, mediaURL: String?) {
        self.name = name
        self.sessions = sessions
        self.mediaURL = mediaURL
    }
}
