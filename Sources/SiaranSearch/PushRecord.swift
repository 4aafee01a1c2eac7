import Foundation
import SiaranArchive
import SiaranCore

/// How this archive's pushes to a shared catalog went, kept beside its settings in
/// `<archive>/.catalog-push.json` (mode 0600), so that `siaran catalog status` can say when the last
/// one was tried, when one last succeeded and why the last one failed, across restarts of the server.
/// Written by every push (`CatalogRefresh` with a `SharedCatalogEngine`: the server's background push,
/// `siaran catalog push`, a search); the error holds no password.
public struct PushRecord: Codable, Sendable, Equatable {
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    /// Why the last attempt failed (nil: it succeeded).
    public var lastError: String?

    public init(lastAttempt: Date? = nil, lastSuccess: Date? = nil, lastError: String? = nil) {
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.lastError = lastError
    }

    /// An attempt that has not ended (yet): the catalog has not answered.
    struct Unfinished: Error, CustomStringConvertible {
        var description: String { "the push started but did not finish (no answer from the shared catalog before it was stopped)" }
    }

    public static func path(in archive: Archive) -> String { archive.root + "/.catalog-push.json" }

    /// The archive's record; nil when no push was ever tried (or it cannot be read).
    public static func load(_ archive: Archive) -> PushRecord? {
        guard let data = try? PlainFile.read(path(in: archive)) else { return nil }
        return try? JSONCoding.decoder().decode(PushRecord.self, from: data)
    }

    /// Records an attempt that ended at `at` (`error` nil: it succeeded). Best effort: an archive the
    /// server may not write to keeps no record.
    static func note(_ archive: Archive, at: Date, error: (any Error)?) {
        var record = load(archive) ?? PushRecord()
        record.lastAttempt = at
        if let error { record.lastError = withoutPasswords(String(describing: error)) } else { record.lastSuccess = at; record.lastError = nil }
        guard let data = try? JSONCoding.encoder().encode(record) else { return }
        try? AtomicFile.write(data, to: path(in: archive), mode: 0o600)
    }

    /// `text` with the password of every `scheme://user:password@` replaced by `***`.
    public static func withoutPasswords(_ text: String) -> String {
        text.replacing(/:\/\/([^\/@\s:]+):[^@\s\/]+@/) { "://\($0.output.1):\(Redaction.mask)@" }
    }
}
