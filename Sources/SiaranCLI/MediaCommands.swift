import ArgumentParser
import Foundation
import SiaranCore

// The commands that read or write media. They are declared here, so that `siaran --help` and argument
// checking are the same in both executables, and run in `siaran-media`, the executable linked with
// libav: `siaran` itself stays free of libav (whose ~150 shared libraries take 50–100 ms to load), so
// that search, tag, show and the other archive commands start in a few milliseconds.

/// Implemented by `siaran-media` for each media command.
public protocol MediaRunnable {
    func runWithMedia() throws
}

extension ParsableCommand {
    /// Runs a media command: here when this executable has libav, else by handing the whole command
    /// line to `siaran-media` (same process id, signals, terminal and exit status).
    func handOffToMedia() throws {
        if let runnable = self as? MediaRunnable { return try runnable.runWithMedia() }
        try MediaExecutable.exec(arguments: Array(CommandLine.arguments.dropFirst()))
    }
}

/// Options shared by `record` and `import`.
public struct SegmentOptions: ParsableArguments {
    public init() {}

    @Option(help: "Title of the session (default: from the source).")
    public var title: String?

    @Option(help: "The event's agenda/roster YAML file (speakers, participants, agenda items).")
    public var agenda: String?

    @Option(name: .customLong("segment-duration"), help: "Target segment length in seconds.")
    public var segmentDuration: Double = 6

    @Option(help: "Segment container: ts or fmp4.")
    public var format: SegmentFormat = .ts

    public func validate() throws {
        guard segmentDuration >= 1 && segmentDuration <= 60 else {
            throw ValidationError("--segment-duration must be between 1 and 60 seconds (got \(segmentDuration))")
        }
    }
}

extension SegmentFormat: ExpressibleByArgument {}

public struct Record: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Record a live stream (HLS, RTMP, RTSP, SRT, UDP/TCP/HTTP MPEG-TS) into a new session.",
        discussion: """
        Segments are remuxed (never re-encoded) into <archive>/<id>/media with an HLS playlist. \
        When the source drops, Siaran reconnects and records the gap in the same session. \
        Ctrl-C finishes the current segment and closes the session; a second Ctrl-C stops at once.
        """
    )

    @Argument(help: "The stream URL. With --listen, the address to listen on (e.g. rtmp://0.0.0.0:1935/live/KEY).")
    public var url: String

    @OptionGroup public var segments: SegmentOptions
    @OptionGroup public var archive: ArchiveOptions

    @Option(help: "Wait this long for a stream that is not live yet (e.g. 90s, 10m, 1h).", transform: Duration.parse)
    public var wait: Double?

    @Option(name: .customLong("stop-after"), help: "Stop after recording this long (e.g. 2h).", transform: Duration.parse)
    public var stopAfter: Double?

    @Flag(help: "Listen for a pushed stream (RTMP push from a webinar platform, SRT or TCP listener).")
    public var listen = false

    @Option(name: .customLong("give-up-after"), help: "Stop reconnecting after this long without media.", transform: Duration.parse)
    public var giveUpAfter: Double = 600

    @Option(name: .customLong("on-disk-full"), help: "stop: close the session (default); wait: pause until space is free, then resume.")
    public var onDiskFull: DiskFullPolicy = .stop

    public enum DiskFullPolicy: String, ExpressibleByArgument { case stop, wait }

    @Option(name: .customLong("stall-timeout"), help: "A source silent this long counts as dropped.", transform: Duration.parse)
    public var stallTimeout: Double = 10

    public func validate() throws {
        guard url.contains("://") else {
            throw ValidationError("'\(url)' is not a stream URL (expected e.g. https://…/live.m3u8, rtmp://…, srt://…, udp://…); to record a file use `siaran import`")
        }
    }

    public func run() throws { try handOffToMedia() }
}

public struct Import: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Import a recording (e.g. an MP4 from a meeting platform) as a session, at full speed."
    )

    @Argument(help: "The media file.")
    public var file: String

    @Option(help: "A WebVTT or SRT transcript of the file, indexed for search.") public var captions: String?

    @OptionGroup public var segments: SegmentOptions
    @OptionGroup public var archive: ArchiveOptions

    public func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ValidationError("no such file: \(file)")
        }
        if isDirectory.boolValue { throw ValidationError("\(file) is a folder; give a media file") }
    }

    public func run() throws { try handOffToMedia() }
}

public struct Captions: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(abstract: "Attach a WebVTT or SRT transcript to a session and index it.")

    @Argument(help: "Session id or a unique part of it.") public var session: String
    @Argument(help: "The WebVTT (.vtt) or SubRip (.srt) file.") public var file: String
    @Option(help: "Seconds to add to every cue (when the transcript starts before or after the recording).") public var offset: Double = 0
    @OptionGroup public var archive: ArchiveOptions

    public func run() throws { try handOffToMedia() }
}

public struct Clip: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Cut a range of a session into one MP4 or TS file, without re-encoding.",
        discussion: "The clip starts at the keyframe at or before --from. --around T takes --before/--after seconds around a moment (e.g. a search hit's)."
    )

    @Argument(help: "Session id or a unique part of it.") public var session: String
    @Option(help: "Start (HH:MM:SS, MM:SS or seconds).", transform: Duration.parse) public var from: Double?
    @Option(help: "End (HH:MM:SS, MM:SS or seconds).", transform: Duration.parse) public var to: Double?
    @Option(help: "A moment to clip around, e.g. a search hit's.", transform: Duration.parse) public var around: Double?
    @Option(help: "Seconds before --around.") public var before: Double = 10
    @Option(help: "Seconds after --around.") public var after: Double = 30
    @Option(name: .shortAndLong, help: "Output file (.mp4 or .ts).") public var output: String
    @Flag(help: "Replace the output file if it exists.") public var force = false
    @OptionGroup public var archive: ArchiveOptions

    public func validate() throws {
        if around == nil && (from == nil || to == nil) { throw ValidationError("give --from and --to, or --around") }
        if let from, let to, to <= from { throw ValidationError("--to must be after --from") }
        if FileManager.default.fileExists(atPath: output) && !force { throw ValidationError("\(output) exists; use --force to replace it") }
    }

    public func run() throws { try handOffToMedia() }
}

public struct Recover: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Close sessions left open by a recorder that crashed or was killed.",
        discussion: "Every command that opens the archive does this too; `recover` says what it did."
    )

    @OptionGroup public var archive: ArchiveOptions

    public func run() throws { try handOffToMedia() }
}

public struct Demo: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Show the whole story on a generated live source on loopback (no network needed).",
        discussion: "Starts `ffmpeg` as a live MPEG-TS source on 127.0.0.1, records it for a while, then shows the session."
    )

    @Option(help: "Archive folder for the demo (default: a new temporary folder).")
    public var archive: String?

    @Option(help: "How long to record, in seconds.")
    public var seconds: Double = 20

    public func run() throws { try handOffToMedia() }
}
