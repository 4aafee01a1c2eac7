import ArgumentParser
import Foundation
import SiaranArchive

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

    public func validate() throws {
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

    /// Switches the command line to the shared catalog when one is named (by the options, the
    /// environment, or the archive's own settings, `siaran catalog connect`); leaves the archive's
    /// own catalog otherwise.
    public func select(archive: Archive? = nil) throws {
        let saved = archive.flatMap(CatalogSettings.load)
        guard let url = sharedURL ?? saved?.catalog else { return }
        let name = office ?? ProcessInfo.processInfo.environment["SIARAN_OFFICE"].flatMap { $0.isEmpty ? nil : $0 } ?? saved?.office ?? "local"
        try CommandEnvironment.useSharedCatalog(url: url, office: name)
    }
}
