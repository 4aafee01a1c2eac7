import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia
import SiaranRecording

extension Voices: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        let store = archive.open()
        let library = VoiceLibrary(archive: store)
        guard library.isEnabled else { throw CommandFailure(VoiceLibrary.Problem.disabled.description) }
        let engine: VoiceEngine
        do { engine = try VoiceEngine.installed() } catch let failure as VoiceEngine.Failure { throw CommandFailure(failure.description) }
        if let enroll, let from { return try enrollSample(enroll, from: from, store, library, engine) }
        guard let session else { return }
        let id = try store.resolve(session)
        let console = Console()
        let total = (try? store.loadManifest(id).mediaEnd) ?? 0
        console.status("listening to the voices of \(id)…")
        let result: VoicePass.Result
        do {
            result = try VoicePass(engine: engine).run(store, id, author: Tagger.author) { seconds in
                console.status("listening to the voices of \(id): \(ClockFormat.string(seconds)) of \(ClockFormat.string(total)) sent")
            }
        } catch let failure as VoiceEngine.Failure {
            console.finishStatus()
            throw CommandFailure(failure.description)
        }
        console.finishStatus()
        for file in result.unreadableSegments { console.warn("segment \(file) could not be read to its end; its voices are missing") }
        try CatalogAccess.refreshed(store, console: console)
        if json {
            let named = result.named.sorted { $0.key < $1.key }.map { ["voice": $0.key, "person": $0.value.person, "basis": $0.value.basis] as [String: Any] }
            let object: [String: Any] = ["session": id, "run": result.run, "voices": result.voices, "named": named,
                                         "suggestions": result.suggestions, "learnt": result.learnt,
                                         "audioSeconds": result.audioSeconds, "cpuSeconds": result.cpuSeconds]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        let names = result.named.sorted { $0.key < $1.key }.map { "voice \($0.key): \($0.value.person) (\($0.value.basis))" }
        print("heard \(result.voices) voice\(result.voices == 1 ? "" : "s") in \(ClockFormat.string(result.audioSeconds)) of \(id): "
              + "\(result.suggestions) suggested turns (run \(result.run))" + (names.isEmpty ? "" : "; " + names.joined(separator: ", ")))
        if !result.learnt.isEmpty { print("learnt the voices of \(result.learnt.joined(separator: ", ")) (named by the officer's tags)") }
    }

    /// The pass `record` runs when the session ends and `import` after importing, when voices are
    /// on for the office: suggestions and learning as `siaran voices SESSION`, reported on stderr. The
    /// session is kept whatever happens here; a missing engine is a warning.
    static func automaticPass(_ store: Archive, _ id: String) {
        guard VoiceLibrary(archive: store).isEnabled else { return }
        let console = Console()
        do {
            console.log("listening to the voices (voice recognition is on for this office)…")
            let result = try VoicePass(engine: try VoiceEngine.installed()).run(store, id, author: Tagger.author)
            console.log("voices: \(result.voices) heard, \(result.suggestions) suggested turns"
                        + (result.learnt.isEmpty ? "" : "; learnt \(result.learnt.joined(separator: ", "))"))
        } catch {
            console.warn("the session is kept, but its voices were not listened to: \(error); try `siaran voices \(id)`")
        }
    }

    /// The live pass for `record` when voices are on (nil when off; a missing engine is a warning).
    /// `SIARAN_VOICES_INTERVAL` (seconds, >= 2) changes how often it listens.
    static func liveVoices(_ store: Archive) -> LiveVoices? {
        guard VoiceLibrary(archive: store).isEnabled else { return nil }
        do {
            let live = LiveVoices(archive: store, engine: try VoiceEngine.installed(), logger: Console().logger(label: "siaran.voices"))
            if let seconds = ProcessInfo.processInfo.environment["SIARAN_VOICES_INTERVAL"].flatMap(Double.init), seconds >= 2 { live.interval = seconds }
            return live
        } catch {
            Console().warn("recording without live voice suggestions: \(error)")
            return nil
        }
    }

    private func enrollSample(_ name: String, from: String, _ store: Archive, _ library: VoiceLibrary, _ engine: VoiceEngine) throws {
        let diariser = VoiceDiariser(engine: engine)
        let made: (vector: [Double], seconds: Double)
        let sample: VoiceLibrary.Sample
        do {
            if let at = from.lastIndex(of: "@"), let start = Double(from[from.index(after: at)...]), start >= 0 {
                let id = try store.resolve(String(from[..<at]))
                let manifest = try store.loadManifest(id)
                guard start < manifest.mediaEnd else {
                    throw CommandFailure("\(from): \(id) ends at \(ClockFormat.string(manifest.mediaEnd)); give a moment when \(name) speaks")
                }
                made = try diariser.embed(segments: manifest.segments, in: store.mediaDirectory(of: id), from: start, seconds: seconds)
                sample = .init(session: id, source: "\(id)@\(start)", seconds: made.seconds, basis: "sample", vector: made.vector)
            } else {
                made = try diariser.embed(file: (from as NSString).expandingTildeInPath, seconds: seconds)
                sample = .init(session: nil, source: (from as NSString).lastPathComponent, seconds: made.seconds, basis: "sample", vector: made.vector)
            }
        } catch let failure as VoiceEngine.Failure {
            throw CommandFailure(failure.description)
        }
        try library.enroll(name, sample: sample, by: Tagger.author)
        print("enrolled \(name) from \(ClockFormat.string(made.seconds)) of \(sample.source ?? from)")
    }
}
