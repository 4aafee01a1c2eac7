import SiaranArchive

/// Checks shared by the commands that read a session's segments.
enum SessionMedia {
    /// Segments are read only as plain files inside the session's own media folder (never through a link).
    static func checkPlain(_ manifest: SessionManifest, media: String) throws {
        guard PlainFile.isPlainFolder(media) else { throw ArchiveError.notPlain(path: media, what: "not a plain folder") }
        if let linked = manifest.segments.first(where: { !PlainFile.isPlainFile(media + "/" + $0.file) }) {
            throw ArchiveError.notPlain(path: media + "/" + linked.file, what: "missing, or not a plain file")
        }
    }
}
