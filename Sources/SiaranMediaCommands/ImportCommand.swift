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
        if transcribe {
            // The recording is kept whatever happens to its transcript.
            do {
                try Transcribe.parse([result.sessionID] + (archive.archive.map { ["--archive", $0] } ?? [])).runWithMedia()
            } catch {
                Console().warn("the session was imported, but not transcribed: \(error); try `siaran transcribe \(result.sessionID)`")
            }
        }
        Voices.automaticPass(store, result.sessionID)
        _ = try? CatalogAccess.refreshed(store)
    }
}
