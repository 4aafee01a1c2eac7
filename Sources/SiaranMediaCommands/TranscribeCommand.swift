import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia
import SiaranRecording

extension Transcribe: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        let store = archive.open()
        let id = try store.resolve(session)
        let console = Console()
        let engine: SpeechEngine
        do { engine = try SpeechEngine.installed(model: model.map { ($0 as NSString).expandingTildeInPath }) } catch let missing as SpeechEngine.Missing {
            throw CommandFailure(missing.description)
        }
        var transcriber = SpeechTranscriber(engine: engine)
        transcriber.language = language
        transcriber.threads = threads
        let total = (try? store.loadManifest(id).mediaEnd) ?? 0
        console.status("transcribing \(id)…")
        let result: SpeechTranscriber.Result
        do {
            result = try transcriber.transcribe(store, id) { seconds in
                console.status("transcribing \(id): \(ClockFormat.string(seconds)) of \(ClockFormat.string(total)) sent")
            }
        } catch let missing as SpeechEngine.Missing {
            console.finishStatus()
            throw CommandFailure(missing.description)
        }
        console.finishStatus()
        for file in result.unreadableSegments { console.warn("segment \(file) could not be read to its end; its audio is missing from the transcript") }
        try CatalogAccess.refreshed(store, console: console)
        print("transcribed \(ClockFormat.string(result.audioSeconds)) of speech into \(result.cues) lines (\(result.words) words, \(result.engine)): \(result.path)")
    }
}
