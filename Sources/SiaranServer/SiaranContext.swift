import Hummingbird
import NIOCore
import SiaranAccounts

/// Who is asking: a signed-in user, or an anonymous visitor (allowed to view only with `--public`).
public struct Visitor: Sendable, Equatable {
    public var name: String?
    public var role: Role?
    /// The token every write from this visitor must carry (header `X-CSRF-Token` or form field `csrf`).
    public var csrfToken: String?
    /// The language pages and messages use for this visitor: their choice, else their browser's.
    var language: Language = .indonesian
    /// The office the user belongs to (their account's; nil: the server's own).
    public var office: String?

    public static let anonymous = Visitor()
}

/// The request context of every route: Hummingbird's, plus the visitor.
public struct SiaranContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var visitor = Visitor.anonymous
    /// The sign-in cookie's token, when the request had a valid one.
    public var signInToken: String?
    /// The peer's IP address (the reverse proxy's, behind one).
    public var peerAddress: String?
    /// The client's address: the peer's, or what a trusted reverse proxy says (`X-Forwarded-For`).
    public var clientAddress = "unknown"
    /// For a user of another office than the server's (a shared catalog): the ids of this archive's
    /// sessions that office may see, as the catalog says (`OfficeViewMiddleware`); nil: every session.
    public var visibleSessions: Set<String>?

    /// The connection, so that a stream whose reader stalls can be closed.
    var connection: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        connection = source.channel
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
