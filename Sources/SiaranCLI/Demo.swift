import ArgumentParser
import Foundation
import SiaranCore

public struct Demo: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Show the whole story on a generated live source on loopback (no network needed).",
        discussion: """
        Starts `ffmpeg` as a live MPEG-TS source on 127.0.0.1, records it for a while, then shows the session. \
        With --serve, when the archive has no accounts yet, it makes one, `demo` (admin), with a random password \
        that it prints once, so you can sign in and tag.
        """
    )

    @Option(help: "Archive folder for the demo (default: a new temporary folder).")
    public var archive: String?

    @Option(help: "How long to record, in seconds.")
    public var seconds: Double = 20

    @Flag(help: "Afterwards, serve the demo archive with the web companion (anyone on this machine may view) until Ctrl-C.")
    public var serve = false

    @Option(help: "The port --serve listens on (127.0.0.1 only).")
    public var port = 8080

    public func run() throws { try handOffToMedia() }
}
