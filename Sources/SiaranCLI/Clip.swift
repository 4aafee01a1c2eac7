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
    @Option(name: .shortAndLong, help: "Output file (.mp4 or .ts).") public var output: String
    @Flag(help: "Replace the output file if it exists.") public var force = false
    @OptionGroup public var archive: ArchiveOptions

    public func validate() throws {
        if around == nil && (from == nil || to == nil) { throw ValidationError("give --from and --to, or --around") }
        if let from, let to, to <= from { throw ValidationError("--to must be after --from") }
        if FileManager.default.fileExists(atPath: output) && !force { throw ValidationError("\(output) exists; use --force to replace it") }
    }

    public func run() throws { try handOffToMedia() }
}
