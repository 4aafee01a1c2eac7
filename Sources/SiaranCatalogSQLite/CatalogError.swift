import Foundation
import GRDB

/// A failure of the SQLite catalog: which call failed, on which file, why, and what to do.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// The file could not be opened or its schema prepared.
        case cannotOpen
        /// The catalog was written by a newer Siaran.
        case supersededSchema
        /// A search or read failed.
        case cannotRead
        /// Indexing (or emptying, compacting) failed.
        case cannotWrite
    }

    public var code: Code
    /// The catalog file.
    public var path: String
    /// The catalog call that failed (`open`, `search`, `replace`…).
    public var call: String
    /// SQLite's own error, when there is one.
    public var underlying: (any Error & Sendable)?
    /// Set instead of `underlying` when the reason is Siaran's own.
    public var reason: String?

    public init(_ code: Code, path: String, call: String, underlying: (any Error)? = nil, reason: String? = nil) {
        self.code = code
        self.path = path
        self.call = call
        if let database = underlying as? DatabaseError {
            self.underlying = database
        } else if let underlying {
            self.underlying = UnderlyingError(text: String(describing: underlying))
        } else {
            self.underlying = nil
        }
        self.reason = reason
    }

    /// SQLite's primary result code, when the failure came from SQLite.
    public var sqliteCode: Int32? { (underlying as? DatabaseError)?.resultCode.primaryResultCode.rawValue }

    /// Whether the file is damaged or not a catalog at all (rather than busy, read-only or full).
    public var isDamage: Bool { resultCode == .SQLITE_CORRUPT || resultCode == .SQLITE_NOTADB }

    private var resultCode: ResultCode? { (underlying as? DatabaseError)?.resultCode.primaryResultCode }

    public var description: String {
        let what = "the search catalog \(path) (\(call))"
        if let reason { return "\(what): \(reason)" }
        switch resultCode {
        case .SQLITE_READONLY, .SQLITE_PERM:
            return "\(what) is read-only: searches still work, but it cannot be updated; make the archive writable"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return "\(what) is damaged or not a catalog; it is derived from the session files: `siaran reindex` rebuilds it"
        case .SQLITE_FULL:
            return "the disk is full (writing \(what)); free some space, then `siaran reindex`"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "\(what) was held by another Siaran process for too long; try again"
        case .SQLITE_CANTOPEN:
            return "cannot open \(what): check that the archive folder exists and can be written"
        case .SQLITE_IOERR:
            return "cannot read or write \(what): the disk reported an I/O error"
        default:
            let detail = (underlying as? DatabaseError)?.message ?? underlying.map { String(describing: $0) } ?? "unknown failure"
            return "\(what) failed: \(detail)"
        }
    }

    struct UnderlyingError: Error, Sendable, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}
