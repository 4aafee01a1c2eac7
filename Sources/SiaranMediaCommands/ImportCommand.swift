import Foundation
import SiaranArchive
import SiaranCLI
import SiaranMedia
import SiaranRecording

extension Import: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        var options = try segments.recordOptions(source: file)
        options.isImport = true
        let result = try RecorderRun.run(options, archive: archive)
        let store = Archive(path: archive.archive)
        if let captions {
            let attached = try CaptionImport.attach(store, result.sessionID, file: captions)
            CaptionsCommandOutput.report(attached, console: Console())
        }
        _ = try? CatalogAccess.refreshed(store)
    }
}
