import Foundation
import SiaranArchive
import SiaranCLI
import SiaranMedia
import SiaranRecording

extension Captions: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        let store = archive.open()
        let id = try store.resolve(session)
        let attached = try CaptionImport.attach(store, id, file: file, offset: offset)
        try CatalogAccess.refreshed(store)
        CaptionsCommandOutput.report(attached, console: Console(), offsetHint: true)
        print("attached \(attached.cues) cues to \(id) (\(attached.path))")
    }
}

/// What `captions` and `import --captions` say about an attached caption file.
enum CaptionsCommandOutput {
    static func report(_ attached: CaptionImport.Attached, console: Console, offsetHint: Bool = false) {
        if !offsetHint { console.log("attached \(attached.cues) caption cues") }
        if let stopped = attached.stoppedEarly {
            console.warn("the caption file could not be read to its end (\(stopped)); the \(attached.cues) cues before that were attached")
        }
        if attached.beyondEnd > 0 {
            console.warn("\(attached.beyondEnd) of the cues start after the end of the recording"
                         + (offsetHint ? "; if the transcript is shifted, attach it again with --offset" : ""))
        }
    }
}
