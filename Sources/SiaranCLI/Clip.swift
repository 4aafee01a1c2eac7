import ArgumentParser
import Foundation
import SiaranCore

public struct Clip: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Cut a range of a session into one MP4 or TS file, without re-encoding.",
        discussion: "The clip starts at the keyframe at or before --from. --around T takes --before/--after seconds around a moment (e.g. a search hit's)."
    )

    @Argument(help: "Session id or a unique part of it.") public var session: String
    @Option(help: "Start (HH:MM:SS, MM:SS or seconds).", transform: Duration.parse) public var from: Double?
    @Option(help: "End (HH:MM:SS, MM:SS or seconds).", transform: Duration.parse) public var to: Double?
    @Option(help: "A moment to clip around, e.g. a search hit's.", transform: Duration.parse) public var around: Double?
    @Option(help: "Seconds before --around.") public var before: Double = 10
    @Option(help: "Seconds after --around.") public var after: Double = 30
    @Option(name: .shortAndLong, help: "Output file (.mp4 or .ts), or - for standard output.") public var output: String
    @Option(help: "Container: mp4 (fragmented) or ts (default: by the output's extension; mp4 for -).") public var format: ClipFormat?
    @Flag(help: "Replace the output file if it exists.") public var force = false
    @OptionGroup public var archive: ArchiveOptions

    /// Whether the clip goes to standard output (e.g. a web server streaming it to a browser).
    public var toStandardOutput: Bool { output == "-" }

    /// The container to write: --format, else the output's extension, else MP4.
    public var container: ClipFormat { format ?? ClipFormat(path: output) ?? .mp4 }

    public func validate() throws {
        if around == nil && (from == nil || to == nil) { throw ValidationError("give --from and --to, or --around") }
        if let from, let to, to <= from { throw ValidationError("--to must be after --from") }
        if let format, let named = ClipFormat(path: output), named != format {
            throw ValidationError("--format \(format.rawValue) does not match \(output); name the file .\(format.rawValue)")
        }
        if !toStandardOutput && FileManager.default.fileExists(atPath: output) && !force {
            throw ValidationError("\(output) exists; use --force to replace it")
        }
    }

    public func run() throws { try handOffToMedia() }
}

/// The containers a clip is written in.
public enum ClipFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Fragmented MP4 (plays while it is still being written).
    case mp4
    /// MPEG-TS.
    case ts

    /// The format a file name's extension names, if any.
    init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "mp4", "m4v": self = .mp4
        case "ts": self = .ts
        default: return nil
        }
    }
}
