import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore

public struct Sessions: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "List the sessions in the archive (or the trash: sessions deleted in the web companion, kept 30 days).")

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var office: OfficeOptions
    @Flag(help: "Print JSON (an array of session manifests, each with `pinned`; times in ISO 8601 with the office zone's offset).") var json = false
    @Flag(help: "List the trash instead: each deleted session, who deleted it, and when it is removed for good.") var trash = false
    @Option(help: ArgumentHelp("Bring a deleted session back from the trash.", valueName: "ID")) var restore: String?
    @Flag(help: "Remove for good the sessions deleted more than 30 days ago.") var purge = false

    public func run() throws {
        let archive = archive.open()
        let console = Console()
        let time = try office.time()
        let language = try office.chosenLanguage()
        if trash || restore != nil || purge { return try trashCommand(archive, time: time, language: language) }
        let manifests = archive.sessionIDs().compactMap { id -> SessionManifest? in
            do { return try archive.loadManifest(id) } catch {
                console.warn("skipping session \(id): \(error)")
                return nil
            }
        }
        if json {
            let manager = SessionManager(archive: archive)
            let listed = manifests.map { ListedSession(manifest: $0, pinned: manager.isPinned($0.id)) }
            print(String(decoding: try JSONCoding.encoder(zone: time.zone).encode(listed), as: UTF8.self))
            return
        }
        if manifests.isEmpty {
            print("no sessions in \(archive.root)")
            return
        }
        let manager = SessionManager(archive: archive)
        for m in manifests {
            let pin = manager.isPinned(m.id) ? "  [pinned]" : ""
            let started = m.startedAt.map { "\(time.day($0)) \(time.clock($0, language: language)) \(time.zoneName(at: $0, language: language))" } ?? "-"
            print("\(m.id)  \(m.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(started)  \(Format.clock(m.mediaDuration))  \(m.title)\(pin)")
        }
    }

    /// `--trash`, `--restore ID`, `--purge`: the web companion's trash from the terminal.
    func trashCommand(_ archive: Archive, time: OfficeTime, language: OfficeLanguage) throws {
        let manager = SessionManager(archive: archive)
        if let restore {
            do { try manager.restore(restore, by: nil) } catch let error as ManageError { throw CommandFailure(error.description) }
            print("restored \(restore)")
        }
        if purge {
            for id in try manager.purge() { print("removed \(id) for good") }
        }
        guard trash else { return }
        let deleted = manager.trash()
        if json {
            print(String(decoding: try JSONCoding.encoder(zone: time.zone).encode(deleted), as: UTF8.self))
        } else if deleted.isEmpty {
            print("the trash of \(archive.root) is empty")
        } else {
            for s in deleted {
                print("\(s.id)  deleted \(time.day(s.deletedAt)) by \(s.deletedBy ?? "-"), removed after \(time.day(s.purgeAfter))  \(s.title)")
            }
        }
    }
}

/// A session as `siaran sessions --json` lists it: its manifest's fields and whether it is pinned
/// (retention never deletes it).
struct ListedSession: Encodable {
    var manifest: SessionManifest
    var pinned: Bool

    private enum Keys: String, CodingKey { case pinned }

    func encode(to encoder: any Encoder) throws {
        try manifest.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(pinned, forKey: .pinned)
    }
}
