import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// A search a user watches: when new material matches it, the user is alerted.
public struct SavedSearch: Codable, Sendable, Equatable {
    /// Random id (16 hex digits), unique within the user's book.
    public var id: String
    /// The query as typed on the search page (the search query language).
    public var query: String
    /// The search page's filters: speaker, topic, agenda, office, since, until (YYYY-MM-DD).
    public var filters: [String: String]
    public var createdAt: Date
    /// SHA-256 (hex) of the feed token of `/alerts/feed/TOKEN.atom`; the token itself is never stored.
    public var feedTokenHash: String
    /// The high-water mark: keys of the moments already alerted or already there when the search was
    /// saved ("office/session#seconds", `SeenMoments`; `AlertBook.key` in books written before), so
    /// that a reindex, a restart or the final transcript replacing a live line alerts nothing twice.
    public var seen: [String]

    public init(id: String, query: String, filters: [String: String], createdAt: Date, feedTokenHash: String, seen: [String] = []) {
        self.id = id
        self.query = query
        self.filters = filters
        self.createdAt = createdAt
        self.feedTokenHash = feedTokenHash
        self.seen = seen
    }
}

/// One alert: a saved search matched new material at a moment of a session.
public struct Alert: Codable, Sendable, Equatable {
    public var id: String
    public var search: String
    public var query: String
    public var session: String
    public var title: String
    /// The moment on the session clock, in seconds.
    public var seconds: Double
    /// What matched (caption, transcript, topic, note, …) and its text around the match («guillemets»).
    public var matched: String
    public var snippet: String
    public var speaker: String?
    public var agenda: String?
    /// The office of the session (a shared catalog only).
    public var office: String?
    /// When the alert was raised.
    public var raisedAt: Date

    public init(id: String, search: String, query: String, session: String, title: String, seconds: Double, matched: String,
                snippet: String, speaker: String?, agenda: String?, office: String?, raisedAt: Date) {
        self.id = id
        self.search = search
        self.query = query
        self.session = session
        self.title = title
        self.seconds = seconds
        self.matched = matched
        self.snippet = snippet
        self.speaker = speaker
        self.agenda = agenda
        self.office = office
        self.raisedAt = raisedAt
    }
}

/// A user's saved searches and recent alerts: `<archive>/.alerts/user-NAME.json`, readable by the
/// archive's owner only (0600), replaced atomically on every change.
public struct AlertBook: Codable, Sendable, Equatable {
    public var searches: [SavedSearch] = []
    /// Newest last; at most `keptAlerts`.
    public var alerts: [Alert] = []

    public init() {}

    /// How many alerts a book keeps (the oldest go first), and how many moments a search remembers.
    public static let keptAlerts = 200
    public static let keptSeen = 5000
    /// How many searches one user may save.
    public static let maxSearches = 50

    /// The key of a moment in books written before `SeenMoments`: the session and the half minute of
    /// it (still read, so that what such a book has seen alerts nothing again).
    public static func key(office: String?, session: String, seconds: Double) -> String {
        "\(office ?? "")/\(session)@\(Int(max(0, seconds) / 30))"
    }

    /// Adds `alerts`, keeping the newest `keptAlerts`.
    public mutating func add(_ new: [Alert]) {
        alerts += new
        if alerts.count > Self.keptAlerts { alerts.removeFirst(alerts.count - Self.keptAlerts) }
    }

    /// Marks `keys` seen for search `id`, keeping the newest `keptSeen`.
    public mutating func markSeen(_ keys: [String], search id: String) {
        guard let index = searches.firstIndex(where: { $0.id == id }) else { return }
        var seen = searches[index].seen
        let known = Set(seen)
        seen += keys.filter { !known.contains($0) }
        if seen.count > Self.keptSeen { seen.removeFirst(seen.count - Self.keptSeen) }
        searches[index].seen = seen
    }
}

/// The alert books of an archive's users (`<archive>/.alerts/`).
public struct AlertBooks: Sendable {
    public let folder: String

    public init(archive: Archive) { folder = archive.root + "/.alerts" }

    /// The file of user `name`; nil for a name that cannot be an account's (then there is no book).
    public func path(of name: String) -> String? {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else { return nil }
        return folder + "/user-" + name + ".json"
    }

    /// The users who have a book.
    public func users() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("user-") && $0.hasSuffix(".json") }
            .map { String($0.dropFirst(5).dropLast(5)) }.filter { path(of: $0) != nil }.sorted()
    }

    /// `name`'s book (empty when there is none). Throws, naming the file, when it cannot be read.
    public func load(_ name: String) throws -> AlertBook {
        guard let path = path(of: name), let data = try PlainFile.read(path) else { return AlertBook() }
        do { return try JSONCoding.decoder().decode(AlertBook.self, from: data) } catch {
            throw ArchiveError.unreadableManifest(path: path, reason: "not an alert book (\(error)); remove it to start the user's alerts afresh")
        }
    }

    public func save(_ book: AlertBook, of name: String) throws {
        guard let path = path(of: name) else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(try JSONCoding.encoder(pretty: false).encode(book), to: path, mode: 0o600)
    }

    /// Size and modification time of `name`'s book: changes with every save.
    public func stamp(of name: String) -> String? {
        var info = stat()
        guard let path = path(of: name), stat(path, &info) == 0 else { return nil }
        return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
