import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Sessions: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(abstract: "List the sessions in the archive.")

    @OptionGroup var archive: ArchiveOptions
    @Flag(help: "Print JSON (an array of session manifests).") var json = false

    public func run() throws {
        let archive = archive.open()
        let console = Console()
        let manifests = archive.sessionIDs().compactMap { id -> SessionManifest? in
            do { return try archive.loadManifest(id) } catch {
                console.warn("skipping session \(id): \(error)")
                return nil
            }
        }
        if json {
            print(String(decoding: try JSONCoding.encoder().encode(manifests), as: UTF8.self))
            return
        }
        if manifests.isEmpty {
            print("no sessions in \(archive.root)")
            return
        }
        for m in manifests {
            let started = m.startedAt.map { ISO8601.format($0).prefix(16).replacingOccurrences(of: "T", with: " ") } ?? "-"
            print("\(m.id)  \(m.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(started)  \(Format.clock(m.mediaDuration))  \(m.title)")
        }
    }
}
