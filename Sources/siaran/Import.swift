import ArgumentParser
import Foundation
import Siaran
import SiaranArchive

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a recording (e.g. an MP4 from a meeting platform) as a session, at full speed."
    )

    @Argument(help: "The media file.")
    var file: String

    @Option(help: "A WebVTT or SRT transcript of the file, indexed for search.") var captions: String?

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
        let result = try runRecorder(options, archive: archive)
        let store = Archive(path: archive.archive)
        if let captions {
            let attached = try CatalogIndexer.attachCaptions(store, result.sessionID, file: captions)
            FileHandle.standardError.write(Data("attached \(attached.cues) caption cues\n".utf8))
            if attached.beyondEnd > 0 {
                Console().warn("\(attached.beyondEnd) of the cues start after the end of the recording")
            }
        }
        try? CatalogIndexer.refresh(store)
    }
}
