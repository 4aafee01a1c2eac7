import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranRecording

extension Record: MediaRunnable {
    public func runWithMedia() throws {
        var options = try segments.recordOptions(source: SourceAddress.normalize(try sourceURL))
        options.headers = headers
        options.userAgent = userAgent
        options.wait = wait
        options.stopAfter = stopAfter
        options.listen = listen
        options.giveUpAfter = giveUpAfter
        options.readTimeout = stallTimeout
        options.waitOnDiskFull = onDiskFull == .wait
        options.quality = quality
        let live = transcribe ? Self.liveTranscription(archive: Archive(path: archive.archive)) : nil
        let store = Archive(path: archive.archive)
        let voices = Voices.liveVoices(store)
        let result = try RecorderRun.run(options, archive: archive) { id in
            live?.start(sessionID: id)
            voices?.start(sessionID: id)
        }
        if let live {
            Console().log("finishing the transcript…")
            live.finish()
            Console().log("transcript: \(live.lines) lines in captions/asr.vtt")
            if let captions = live.captions {
                Console().log("live captions: \(captions.lines) lines in captions/asr-live.vtt; \(captions.passes) passes, "
                    + "\(Decimals.string(captions.cpuSeconds, places: 1)) CPU-s for \(Decimals.string(captions.audioSeconds, places: 0)) s of audio heard")
            }
        }
        voices?.finish()
        Voices.automaticPass(store, result.sessionID)
        _ = try? CatalogAccess.refreshed(Archive(path: archive.archive))
        if result.outcome == .sourceLost { throw ExitCode(3) }
    }

    /// The live transcription for `--transcribe`; without an engine the recording goes on, and says so.
    static func liveTranscription(archive: Archive) -> LiveTranscription? {
        do {
            let live = LiveTranscription(archive: archive, transcriber: SpeechTranscriber(engine: try SpeechEngine.installed()),
                                         logger: Console().logger(label: "siaran.transcribe"))
            // How much new audio makes a window (30 s; shorter makes the transcript follow more
            // closely and costs more model loads).
            if let seconds = ProcessInfo.processInfo.environment["SIARAN_TRANSCRIBE_WINDOW"].flatMap(Double.init), seconds >= 4 {
                live.window = seconds
            }
            // How often live-caption passes start (every 2.5 s, or back to back when one takes longer; 0.5...30, Scripts/bench-live measures others).
            if let seconds = ProcessInfo.processInfo.environment["SIARAN_LIVE_CAPTIONS_STEP"].flatMap(Double.init), seconds >= 0.5, seconds <= 30 {
                live.captions?.step = seconds
            }
            // One JSON line per live-caption pass (Scripts/bench-live reads it).
            live.captions?.passLog = ProcessInfo.processInfo.environment["SIARAN_LIVE_CAPTIONS_PASSES"].flatMap { $0.isEmpty ? nil : $0 }
            return live
        } catch {
            Console().warn("recording without --transcribe: \(error)")
            return nil
        }
    }
}
