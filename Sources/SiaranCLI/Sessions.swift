import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Sessions: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(abstract: "List the sessions in the archive.")

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var office: OfficeOptions
    @Flag(help: "Print JSON (an array of session manifests; times in ISO 8601 with the office zone's offset).") var json = false

    public func run() throws {
        let archive = archive.open()
        let console = Console()
        let time = try office.time()
        let language = try office.chosenLanguage()
        let manifests = archive.sessionIDs().compactMap { id -> SessionManifest? in
            do { return try archive.loadManifest(id) } catch {
                console.warn("skipping session \(id): \(error)")
                return nil
            }
        }
        if json {
            print(String(decoding: try JSONCoding.encoder(zone: time.zone).encode(manifests), as: UTF8.self))
            return
        }
        if manifests.isEmpty {
            print("no sessions in \(archive.root)")
            return
        }
        for m in manifests {
            let started = m.startedAt.map { "\(time.day($0)) \(time.clock($0, language: language)) \(time.zoneName(at: $0, language: language))" } ?? "-"
            print("\(m.id)  \(m.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(started)  \(Format.clock(m.mediaDuration))  \(m.title)")
        }
    }
}
