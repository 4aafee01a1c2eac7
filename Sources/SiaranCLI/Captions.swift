import ArgumentParser
import Foundation
import SiaranCore

public struct Captions: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(abstract: "Attach a WebVTT or SRT transcript to a session and index it.")

    @Argument(help: "Session id or a unique part of it.") public var session: String
    @Argument(help: "The WebVTT (.vtt) or SubRip (.srt) file.") public var file: String
    @Option(help: "Seconds to add to every cue (when the transcript starts before or after the recording).") public var offset: Double = 0
    @OptionGroup public var archive: ArchiveOptions

    public func run() throws { try handOffToMedia() }
}
