import Foundation
import PostgresNIO

/// What went wrong with the shared catalog: which call, on which database, and why.
public struct PostgresCatalogError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public static let badURL = Code(name: "badURL")
        public static let cannotOpen = Code(name: "cannotOpen")
        public static let cannotRead = Code(name: "cannotRead")
        public static let cannotWrite = Code(name: "cannotWrite")
        /// The database holds a schema written by a newer Siaran.
        public static let supersededSchema = Code(name: "supersededSchema")
        public var description: String { name }
    }

    public var code: Code
    /// The database, as `postgres://user@host:port/database` (never its password).
    public var location: String
    /// The catalog call that failed.
    public var call: String
    public var reason: String?
    public var underlying: (any Error)?

    init(_ code: Code, location: String, call: String, reason: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.location = location
        self.call = call
        self.reason = reason
        self.underlying = underlying
    }

    public var description: String {
        let verb = code == .cannotWrite ? "cannot write" : code == .badURL ? "cannot use the catalog URL" : "cannot read"
        var text = "\(verb) the shared catalog \(location) (\(call))"
        if let reason { text += ": " + reason }
        if let underlying { text += ": " + Self.explain(underlying) }
        return text
    }

    /// The server's own message for PostgreSQL errors (PSQLError's description hides it on purpose).
    static func explain(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
        }
        return String(describing: error)
    }
}
