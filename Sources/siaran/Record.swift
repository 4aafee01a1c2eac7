import ArgumentParser
import Foundation
import Siaran
import SiaranArchive
import SiaranMedia

/// Options shared by `record` and `import`.
struct SegmentOptions: ParsableArguments {
    @Option(help: "Title of the session (default: from the source).")
    var title: String?

    @Option(help: "The event's agenda/roster YAML file (speakers, participants, agenda items).")
    var agenda: String?

    @Option(name: .customLong("segment-duration"), help: "Target segment length in seconds.")
    var segmentDuration: Double = 6

    @Option(help: "Segment container: ts or fmp4.")
    var format: SegmentFormat = .ts

    func validate() throws {
        guard segmentDuration >= 1 && segmentDuration <= 60 else {
            throw ValidationError("--segment-duration must be between 1 and 60 seconds (got \(segmentDuration))")
        }
    }

    func apply(to options: inout RecordOptions) throws {
        options.title = title
        if let agenda { options.agenda = try AgendaFile.load(path: agenda) }
        options.segmentDuration = segmentDuration
        options.format = format
    }
}

extension SegmentFormat: ExpressibleByArgument {}

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a live stream (HLS, RTMP, RTSP, SRT, UDP/TCP/HTTP MPEG-TS) into a new session.",
        discussion: """
        Segments are remuxed (never re-encoded) into <archive>/<id>/media with an HLS playlist. \
        When the source drops, Siaran reconnects and records the gap in the same session. \
        Ctrl-C finishes the current segment and closes the session; a second Ctrl-C stops at once.
        """
    )

    @Argument(help: "The stream URL. With --listen, the address to listen on (e.g. rtmp://0.0.0.0:1935/live/KEY).")
    var url: String

    @OptionGroup var segments: SegmentOptions
    @OptionGroup var archive: ArchiveOptions

    @Option(help: "Wait this long for a stream that is not live yet (e.g. 90s, 10m, 1h).", transform: Duration.parse)
    var wait: Double?

    @Option(name: .customLong("stop-after"), help: "Stop after recording this long (e.g. 2h).", transform: Duration.parse)
    var stopAfter: Double?

    @Flag(help: "Listen for a pushed stream (RTMP push from a webinar platform, SRT or TCP listener).")
    var listen = false

    @Option(name: .customLong("give-up-after"), help: "Stop reconnecting after this long without media.", transform: Duration.parse)
    var giveUpAfter: Double = 600

    @Option(name: .customLong("on-disk-full"), help: "stop: close the session (default); wait: pause until space is free, then resume.")
    var onDiskFull: DiskFullPolicy = .stop

    enum DiskFullPolicy: String, ExpressibleByArgument { case stop, wait }

    @Option(name: .customLong("stall-timeout"), help: "A source silent this long counts as dropped.", transform: Duration.parse)
    var stallTimeout: Double = 10

    func validate() throws {
        guard url.contains("://") else {
            throw ValidationError("'\(url)' is not a stream URL (expected e.g. https://…/live.m3u8, rtmp://…, srt://…, udp://…); to record a file use `siaran import`")
        }
    }

    func run() throws {
        var options = RecordOptions(source: url)
        try segments.apply(to: &options)
        options.wait = wait
        options.stopAfter = stopAfter
        options.listen = listen
        options.giveUpAfter = giveUpAfter
        options.readTimeout = stallTimeout
        options.waitOnDiskFull = onDiskFull == .wait
        let result = try runRecorder(options, archive: archive)
        try? CatalogIndexer.refresh(Archive(path: archive.archive))
        if result.outcome == .sourceLost { throw ExitCode(3) }
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
