import ArgumentParser
import Foundation
import SiaranCore

public struct Import: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Import a recording (e.g. an MP4 from a meeting platform) as a session, at full speed."
    )

    @Argument(help: "The media file.")
    public var file: String

    @Option(help: "A WebVTT or SRT transcript of the file, indexed for search.") public var captions: String?
    @Flag(help: "Also transcribe the speech offline (as `siaran transcribe`, language id).") public var transcribe = false

    @OptionGroup public var segments: SegmentOptions
    @OptionGroup public var archive: ArchiveOptions

    public func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ValidationError("no such file: \(file)")
        }
        if isDirectory.boolValue { throw ValidationError("\(file) is a folder; give a media file") }
    }

    public func run() throws { try handOffToMedia() }
}
