import ArgumentParser
import Foundation
import Siaran
import SiaranArchive
import SiaranCore

struct Sessions: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the sessions in the archive.")

    @OptionGroup var archive: ArchiveOptions
    @Flag(help: "Print JSON (an array of session manifests).") var json = false

    func run() throws {
        let archive = archive.open()
        let manifests = archive.sessionIDs().compactMap { try? archive.loadManifest($0) }
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

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one session: source, streams, segments, gaps.")

    @Argument(help: "Session id or a unique part of it.") var session: String
    @OptionGroup var archive: ArchiveOptions
    @Flag(help: "Print the session manifest as JSON.") var json = false

    func run() throws {
        let archive = archive.open()
        let m = try archive.loadManifest(try archive.resolve(session))
        if json {
            print(String(decoding: try JSONCoding.encoder().encode(m), as: UTF8.self))
            return
        }
        print("\(m.title)")
        print("  id:        \(m.id)")
        print("  state:     \(m.state.rawValue)\(m.stopReason.map { " (\($0))" } ?? "")")
        print("  source:    \(m.source)")
        if let start = m.startedAt { print("  started:   \(ISO8601.format(start))") }
        if let end = m.endedAt { print("  ended:     \(ISO8601.format(end))") }
        print("  media:     \(Format.clock(m.mediaDuration)) in \(m.segments.count) \(m.segmentFormat) segments, \(Format.bytes(m.mediaBytes))")
        print("  playlist:  \(archive.playlistPath(of: m.id))")
        for s in m.streams { print("  stream:    \(Recorder.describe(s))") }
        if m.reconnects > 0 { print("  reconnects: \(m.reconnects)") }
        for gap in m.gaps {
            print("  gap:       \(ISO8601.format(gap.wallClockStart)) for \(String(format: "%.1f", gap.duration)) s at \(Format.clock(gap.mediaPosition)) (\(gap.reason))")
        }
        for warning in m.warnings { print("  note:      \(warning)") }
    }
}

struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close sessions left open by a recorder that crashed or was killed.",
        discussion: "Every command that opens the archive does this too; `recover` says what it did."
    )

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
        let archive = Archive(path: self.archive.archive)
        let reports = Recovery.recoverAbandoned(in: archive)
        if reports.isEmpty { print("nothing to recover in \(archive.root)") }
        for report in reports { print(report.summary) }
    }
}
