import Foundation
import SiaranArchive
import SiaranCLI
#if canImport(Glibc)
import Glibc
#endif

/// Checks shared by the commands that read a session's segments.
enum SessionMedia {
    /// Segments are read only as plain files inside the session's own media folder (never through a link).
    static func checkPlain(_ manifest: SessionManifest, media: String) throws {
        guard PlainFile.isPlainFolder(media) else { throw ArchiveError.notPlain(path: media, what: "not a plain folder") }
        if let linked = manifest.segments.first(where: { !PlainFile.isPlainFile(media + "/" + $0.file) }) {
            throw ArchiveError.notPlain(path: media + "/" + linked.file, what: "missing, or not a plain file")
        }
    }

    /// Before media goes to standard output: a terminal is refused, and a reader that goes away ends
    /// the command with an error (EPIPE), not a signal.
    static func claimStandardOutput(for what: String) throws {
        guard isatty(STDOUT_FILENO) == 0 else { throw CommandFailure("standard output is a terminal; pipe the \(what) somewhere, or give -o FILE") }
        signal(SIGPIPE, SIG_IGN)
    }
}
