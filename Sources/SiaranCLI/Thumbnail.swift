import ArgumentParser
import Foundation

public struct Thumbnail: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Save the picture of a session at a moment as a JPEG.",
        discussion: "The picture is the video keyframe at or before --at, scaled to --width (the height keeps its aspect). -o - writes the JPEG to standard output."
    )

    @Argument(help: "Session id or a unique part of it.") public var session: String
    @Option(help: "The moment (HH:MM:SS, MM:SS or seconds).", transform: Duration.parse) public var at: Double
    @Option(name: .shortAndLong, help: "Output file (.jpg), or - for standard output.") public var output: String
    @Option(help: "Width in pixels (16–3840).") public var width = 320
    @Flag(help: "Replace the output file if it exists.") public var force = false
    @OptionGroup public var archive: ArchiveOptions

    /// Whether the picture goes to standard output.
    public var toStandardOutput: Bool { output == "-" }

    public func validate() throws {
        guard (16...3840).contains(width) else { throw ValidationError("--width must be between 16 and 3840 pixels (got \(width))") }
        if !toStandardOutput && FileManager.default.fileExists(atPath: output) && !force {
            throw ValidationError("\(output) exists; use --force to replace it")
        }
    }

    public func run() throws { try handOffToMedia() }
}
