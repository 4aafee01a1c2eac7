import Foundation

/// Problems with the archive folder and its session files, with what to do about them.
public enum ArchiveError: Error, CustomStringConvertible, Sendable {
    case io(path: String, errno: Int32)
    case notWritable(path: String, reason: String)
    /// `known`: the archive's ids nearest to what was typed, nearest first (empty: no sessions).
    case unknownSession(String, known: [String])
    case ambiguousSession(String, matches: [String])
    case noSessions(archive: String)
    case unreadableManifest(path: String, reason: String)
    case cannotEncode(path: String, reason: String)
    case sessionLocked(path: String)
    case notPlain(path: String, what: String)

    public var description: String {
        switch self {
        case let .io(path, code):
            if code == ENOSPC { return "the disk is full (writing \(path))" }
            return "cannot write \(path): \(String(cString: strerror(code)))"
        case let .notWritable(path, reason):
            return "cannot use \(path) as the archive: \(reason). Choose another folder with --archive or SIARAN_ARCHIVE."
        case let .unknownSession(query, known):
            if query.trimmingCharacters(in: .whitespaces).isEmpty { return "give a session id (or a unique part of it); `siaran sessions` lists them" }
            let hint = known.isEmpty ? "the archive has no sessions yet" : "did you mean \(known.prefix(3).map { "'\($0)'" }.joined(separator: " or "))?"
            return "no session matches '\(query)' (\(hint)); `siaran sessions` lists them"
        case let .ambiguousSession(query, matches):
            let shown = matches.prefix(8).joined(separator: ", ") + (matches.count > 8 ? ", … (\(matches.count) in all)" : "")
            return "'\(query)' matches several sessions: \(shown); give more of the id"
        case let .noSessions(archive):
            return "the archive \(archive) has no sessions"
        case let .unreadableManifest(path, reason):
            return "cannot read \(path): \(reason)"
        case let .cannotEncode(path, reason):
            return "cannot write \(path): \(reason)"
        case let .notPlain(path, what):
            return "refusing \(path): \(what); Siaran reads and writes only plain files inside the archive (was the session folder copied with links?)"
        case let .sessionLocked(path):
            return "another Siaran process holds the session's lock \(path); is a second recorder writing the same session?"
        }
    }
}
