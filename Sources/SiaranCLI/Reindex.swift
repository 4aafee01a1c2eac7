import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Reindex: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(abstract: "Rebuild the search catalog from the session files (in a shared catalog: this office's sessions only).")
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var catalog: CatalogOptions

    public func run() throws {
        let store = archive.open()
        try catalog.select(archive: store)
        let started = Date()
        let result = try CatalogAccess.rebuild(store, console: Console())
        print("indexed \(result.sessions) sessions (\(result.entries) entries) in \(Decimals.string(Date().timeIntervalSince(started), places: 1)) s")
    }
}
