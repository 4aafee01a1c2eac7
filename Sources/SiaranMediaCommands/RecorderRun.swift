import Foundation
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia
import SiaranRecording

/// Runs a recorder the way the commands do: signals handled, live keys on a terminal, messages and
/// the status line on the console, the summary at the end; shared by record, import and demo.
enum RecorderRun {
    static func run(_ options: RecordOptions, archive archiveOptions: ArchiveOptions, console: Console = Console(),
                    onSessionCreated: ((String) -> Void)? = nil) throws -> RecordResult {
        LibavLogging.configure()
        let archive = archiveOptions.open(console: console)
        let stop = StopControl()
        stop.installSignalHandlers()
        let recorder = Recorder(archive: archive, options: options, stop: stop, logger: console.logger(label: "siaran.recorder"),
                                progress: { console.status($0.description) })
        let keys = LiveKeys(tagger: Tagger(archive: archive), console: console)
        let useKeys = !options.isImport && keys.isAvailable
        // An agenda file of another day is said before the briefing starts, while it can be changed.
        if !options.isImport { AgendaDateWarning.warnBeforeRecording(agenda: options.agenda, console: console) }
        recorder.onSessionCreated = { id in
            if useKeys { keys.start(session: id, agenda: options.agenda) }
            onSessionCreated?(id)
        }
        let result: RecordResult
        do { result = try recorder.run() } catch {
            console.finishStatus()
            throw error
        }
        console.finishStatus()
        keys.stop()
        console.log("session \(result.sessionID): \(result.segments) segments, \(Format.clock(result.mediaDuration)) of media, \(Format.bytes(result.bytes)), \(result.gaps) gaps")
        for warning in result.warnings { console.warn(warning) }
        if options.agenda?.date != nil { AgendaDateWarning.warn(archive: archive, id: result.sessionID, console: console) }
        print(result.sessionID)
        return result
    }
}
