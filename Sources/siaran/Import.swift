import ArgumentParser
import Foundation
import Siaran

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a recording (e.g. an MP4 from a meeting platform) as a session, at full speed."
    )

    @Argument(help: "The media file.")
    var file: String

    @OptionGroup var segments: SegmentOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ValidationError("no such file: \(file)")
        }
        if isDirectory.boolValue { throw ValidationError("\(file) is a folder; give a media file") }
    }

    func run() throws {
        var options = RecordOptions(source: file)
        try segments.apply(to: &options)
        options.isImport = true
        _ = try runRecorder(options, archive: archive)
    }
}
