import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

/// Which catalog a command searches or indexes into: the archive's own (`catalog.sqlite`), or a shared
/// one many offices index into (`--catalog postgres://…` or `$SIARAN_CATALOG`), under this office's name.
public struct CatalogOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: ArgumentHelp("A shared catalog, postgres://USER@HOST:PORT/DATABASE (default: $SIARAN_CATALOG, else the archive's own catalog.sqlite).",
                                            valueName: "url"))
    public var catalog: String?

    @Option(name: .long, help: ArgumentHelp("The office this archive's sessions are indexed under in a shared catalog (default: $SIARAN_OFFICE, else local).",
                                            valueName: "name"))
    public var office: String?

    @Option(name: .customLong("catalog-read"), help: ArgumentHelp(
        "A streaming replica of the shared catalog that searches read from, postgres://USER@HOST:PORT/DATABASE (default: $SIARAN_CATALOG_READ); writes go to --catalog, and so do searches while the replica is down or lags.",
        valueName: "url"))
    public var catalogRead: String?

    @Option(name: .customLong("replica-max-lag"), help: ArgumentHelp("How far the replica may trail the primary before searches go to the primary (default: 30).",
                                                                      valueName: "seconds"))
    public var replicaMaxLag: Double?

    public func validate() throws {
        if let url = readURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw ValidationError("--catalog-read must be a postgres://USER@HOST:PORT/DATABASE URL of the replica (got \(Redaction.redact(url)))")
        }
        if let replicaMaxLag, !(replicaMaxLag > 0 && replicaMaxLag.isFinite) {
            throw ValidationError("--replica-max-lag must be a number of seconds above 0 (got \(replicaMaxLag))")
        }
        if replicaMaxLag != nil && readURL == nil { throw ValidationError("--replica-max-lag bounds the replica of --catalog-read: give --catalog-read too") }
        if let office, office.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--office needs a name") }
        if let url = sharedURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw ValidationError("--catalog must be a postgres://USER@HOST:PORT/DATABASE URL (got \(url))")
        }
        if office != nil && sharedURL == nil { throw ValidationError("--office names this archive in a shared catalog: give --catalog too") }
    }

    /// The shared catalog's URL, when one is named.
    var sharedURL: String? {
        catalog ?? ProcessInfo.processInfo.environment["SIARAN_CATALOG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The replica's URL, when one is named (`--catalog-read`, `$SIARAN_CATALOG_READ`).
    var readURL: String? {
        catalogRead ?? ProcessInfo.processInfo.environment["SIARAN_CATALOG_READ"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Switches the command line to the shared catalog when one is named (by the options, the
    /// environment, or the archive's own settings, `siaran catalog connect`); leaves the archive's
    /// own catalog otherwise. Searches read from the replica named with it (a saved replica goes
    /// with the saved catalog only).
    /// `replicaDeadline`: how long a search may take on the replica before the primary is asked
    /// (`ReadReplica.deadline`; `bench-queries` sets it, to measure a loaded replica).
    public func select(archive: Archive? = nil, replicaDeadline: Double = ReadReplica.defaultDeadline) throws {
        let saved = archive.flatMap(CatalogSettings.load)
        guard let url = sharedURL ?? saved?.catalog else {
            if readURL != nil { throw CommandFailure("--catalog-read names a replica of a shared catalog: give --catalog too (or set SIARAN_CATALOG)") }
            return
        }
        let name = office ?? ProcessInfo.processInfo.environment["SIARAN_OFFICE"].flatMap { $0.isEmpty ? nil : $0 } ?? saved?.office ?? "local"
        let replica = (readURL ?? (sharedURL == nil ? saved?.catalogRead : nil))
            .map { ReadReplica(url: $0, maxLag: replicaMaxLag ?? ReadReplica.defaultMaxLag, deadline: replicaDeadline) }
        try CommandEnvironment.useSharedCatalog(url: url, office: name, replica: replica)
    }
}
