import ArgumentParser
import Foundation
import Siaran
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranMedia
import SiaranRecording

extension SegmentOptions {
    func apply(to options: inout RecordOptions) throws {
        options.title = title
        if let agenda { options.agenda = try AgendaFile.load(path: agenda) }
        options.segmentDuration = segmentDuration
        options.format = format
    }
}

extension Record: MediaRunnable {
    public func runWithMedia() throws {
        var options = RecordOptions(source: url)
        try segments.apply(to: &options)
        options.wait = wait
        options.stopAfter = stopAfter
        options.listen = listen
        options.giveUpAfter = giveUpAfter
        options.readTimeout = stallTimeout
        options.waitOnDiskFull = onDiskFull == .wait
        let result = try runRecorder(options, archive: archive)
        _ = try? CatalogIndexer.refresh(Archive(path: archive.archive))
        if result.outcome == .sourceLost { throw ExitCode(3) }
    }
}

extension Import: MediaRunnable {
    public func runWithMedia() throws {
        var options = RecordOptions(source: file)
        try segments.apply(to: &options)
        options.isImport = true
        let result = try runRecorder(options, archive: archive)
        let store = Archive(path: archive.archive)
        if let captions {
            let attached = try CaptionImport.attach(store, result.sessionID, file: captions)
            FileHandle.standardError.write(Data("attached \(attached.cues) caption cues\n".utf8))
            if attached.beyondEnd > 0 {
                Console().warn("\(attached.beyondEnd) of the cues start after the end of the recording")
            }
        }
        _ = try? CatalogIndexer.refresh(store)
    }
}

/// Runs a recorder with signal handling and prints its summary; shared by record, import and demo.
func runRecorder(_ options: RecordOptions, archive archiveOptions: ArchiveOptions, console: Console = Console(),
                 onSessionCreated: ((String) -> Void)? = nil) throws -> RecordResult {
    LibavLogging.configure()
    let archive = archiveOptions.open(console: console)
    let stop = StopControl()
    stop.installSignalHandlers()
    let recorder = Recorder(archive: archive, options: options, console: console, stop: stop)
    let keys = LiveKeys(tagger: Tagger(archive: archive), console: console)
    let useKeys = !options.isImport && keys.isAvailable
    recorder.onSessionCreated = { id in
        if useKeys { keys.start(session: id, agenda: options.agenda) }
        onSessionCreated?(id)
    }
    let result = try recorder.run()
    keys.stop()
    console.log("session \(result.sessionID): \(result.segments) segments, \(Format.clock(result.mediaDuration)) of media, \(Format.bytes(result.bytes)), \(result.gaps) gaps")
    for warning in result.warnings { console.warn(warning) }
    print(result.sessionID)
    return result
}

extension ArchiveOptions: ArchiveRecovering {
    public func recoverAbandoned(_ archive: Archive, console: Console) {
        for report in Recovery.recoverAbandoned(in: archive) { console.warn(report.summary) }
    }
}

extension Recover: MediaRunnable {
    public func runWithMedia() throws {
        let archive = Archive(path: self.archive.archive)
        let reports = Recovery.recoverAbandoned(in: archive)
        if reports.isEmpty { print("nothing to recover in \(archive.root)") }
        for report in reports { print(report.summary) }
    }
}

extension Captions: MediaRunnable {
    public func runWithMedia() throws {
        let store = archive.open()
        let id = try store.resolve(session)
        let attached = try CaptionImport.attach(store, id, file: file, offset: offset)
        try CatalogIndexer.refresh(store)
        if attached.beyondEnd > 0 {
            Console().warn("\(attached.beyondEnd) of the cues start after the end of the recording; if the transcript is shifted, attach it again with --offset")
        }
        print("attached \(attached.cues) cues to \(id) (\(attached.path))")
    }
}

extension Clip: MediaRunnable {
    public func runWithMedia() throws {
        let store = archive.open()
        let manifest = try store.loadManifest(try store.resolve(session))
        let start = around.map { max(0, $0 - before) } ?? from!
        let end = around.map { $0 + after } ?? to!
        guard start < manifest.mediaEnd else {
            throw CommandFailure("the session ends at \(Format.clock(manifest.mediaEnd)); \(Format.clock(start)) is beyond it")
        }
        let files = manifest.segments.map {
            SegmentFile(path: store.mediaDirectory(of: manifest.id) + "/" + $0.file, mediaStart: $0.mediaStart, duration: $0.duration)
        }
        let result = try Clipper.clip(files, from: start, to: min(end, manifest.mediaEnd), output: output,
                                      sessionClock: manifest.segmentFormat == SegmentFormat.ts.rawValue)
        FileHandle.standardError.write(Data("clip of \(manifest.id) from \(Format.clock(result.start)) (keyframe) to \(Format.clock(result.end)), \(Format.bytes(result.bytes))\n".utf8))
        print(output)
    }
}
