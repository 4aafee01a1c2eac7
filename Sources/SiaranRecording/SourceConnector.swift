import Foundation
import Logging
import SiaranCore
import SiaranMedia

/// Opens the source: the first time (polling while `--wait` allows, or listening for a push), and
/// again after a drop, with backoff, until `--give-up-after`. A web page is resolved to its stream
/// (`PageResolver`) before the first open, and again before the address expires or when it fails.
final class SourceConnector {
    let options: RecordOptions
    let stop: StopControl
    let logger: Logger
    let progress: @Sendable (RecordingProgress) -> Void
    /// Set when the source is a web page: how it is resolved, and what it last resolved to.
    private let resolver: PageResolver?
    private var resolved: PageResolver.Resolved?
    /// Set once the source showed itself a live DASH manifest: then every connection is read through
    /// streamlink (`DashFetcher`), the current one's fetcher kept here.
    private var liveDash = false
    /// Set when the source said it has ended for good (a live DASH manifest that turned static):
    /// reconnecting stops, and the session ends as its source did, not as a drop.
    private(set) var sourceEnded: String?
    private var fetcher: DashFetcher?

    init(options: RecordOptions, stop: StopControl, logger: Logger, progress: @escaping @Sendable (RecordingProgress) -> Void) {
        self.options = options
        self.stop = stop
        self.logger = logger
        self.progress = progress
        resolver = !options.isImport && !options.listen && PageResolver.isPage(options.source) ? PageResolver(quality: options.quality) : nil
    }

    /// Whether the stream address found in the page is due to be renewed (it expires).
    var addressExpiresSoon: Bool {
        guard let resolved else { return false }
        return Date().timeIntervalSince(resolved.at) >= PageResolver.refreshAfter
    }

    /// The address to open now: the source itself, or the stream its page plays (resolved anew when
    /// `fresh` or when the last one is old).
    private func address(fresh: Bool) throws -> (url: String, headers: [String]) {
        guard let resolver else { return (options.source, options.headers) }
        if fresh || resolved == nil || addressExpiresSoon {
            let found = try resolver.resolve(options.source)
            // A page may name any address (`<video src="file:///…">`): it must pass the check a
            // scheduled address passes, or the page could make the recorder read this machine's files.
            guard SourceAddress.isNetwork(found.url) else {
                let scheme = found.url.prefix { $0 != ":" && $0 != "/" }.prefix(16).lowercased()
                throw PageResolver.Failure(page: displaySource, reason: "it names a stream that is not a network address (\(scheme.isEmpty ? "a path" : scheme + ":")), "
                                           + "which is never recorded; only http(s), HLS, RTMP, RTSP, SRT, UDP and TCP streams are")
            }
            if resolved == nil { logger.info("\(displaySource) is a web page; recording the stream it plays (\(Redaction.redact(found.url)))") }
            resolved = found
        }
        return (resolved!.url, resolved!.headers + options.headers)
    }

    /// Backoff between reconnect attempts: first within a second, growing to a cap of 0.7 s, so
    /// a returning source is picked up (and its gap measured) within about a second.
    static let retryDelays: [Double] = [0.2, 0.4, 0.7]

    /// The source as it may be shown (stream keys and tokens redacted; a file path as it is).
    var displaySource: String { options.isImport ? options.source : Redaction.redact(options.source) }

    private func inputOptions(openTimeout: Double?, headers: [String]) -> InputOptions {
        var o = InputOptions()
        o.listen = options.listen
        o.openTimeout = options.listen ? openTimeout : min(openTimeout ?? 15, 15)
        o.readTimeout = options.isImport ? 3600 : options.readTimeout
        o.captureSubtitles = true
        o.quality = options.quality
        o.headers = headers
        o.userAgent = options.userAgent
        // What the typed source is decides what libav may open: a network source (and whatever its
        // page, playlist or redirects name) only the network; a file or standard input only those.
        o.protocols = SourceAddress.isNetwork(options.source) ? .network : .local
        return o
    }

    private func delay(_ attempt: Int) -> Double { Self.retryDelays[min(attempt, Self.retryDelays.count - 1)] }

    private func openInput(openTimeout: Double?, freshAddress: Bool = false) -> Result<InputSource, MediaError> {
        var target: (url: String, headers: [String])
        var pageFailure: Error?
        do { target = try address(fresh: freshAddress) } catch {
            // Not every URL without a file name is a page: it is opened as it is, and if that fails
            // too, the message says what the page resolver found.
            pageFailure = error
            target = (options.source, options.headers)
        }
        do {
            return .success(try open(target, options: inputOptions(openTimeout: openTimeout, headers: target.headers)))
        } catch {
            if let pageFailure { return .failure(.cannotOpen(source: displaySource, reason: "\(pageFailure)")) }
            return .failure(error)
        }
    }

    /// Opens `target` with libav; a live DASH manifest (which libav reads wrongly) through streamlink.
    /// After a drop, libav looks at the manifest again: one that has become static means the live
    /// stream ended (streamlink would play its window again from the start).
    private func open(_ target: (url: String, headers: [String]), options input: InputOptions) throws(MediaError) -> InputSource {
        stopFetcher()
        do throws(MediaError) {
            let plain = try InputSource(url: target.url, options: input, interrupt: stop.interrupt)
            if liveDash {
                plain.close()
                sourceEnded = "the live DASH stream ended (its manifest is no longer live)"
                throw MediaError.cannotOpen(source: displaySource, reason: "the live DASH stream has ended (its manifest is no longer live)")
            }
            return plain
        } catch .liveDash {
            if !liveDash { logger.info("\(displaySource) is a live DASH stream; reading it through streamlink") }
            liveDash = true
        }
        do {
            let started = try DashFetcher(manifest: target.url, quality: options.quality, headers: target.headers,
                                          userAgent: options.userAgent, logger: logger)
            fetcher = started
        } catch let failure as DashFetcher.Failure {
            throw .cannotOpen(source: displaySource, reason: failure.reason)
        } catch {
            throw .cannotOpen(source: displaySource, reason: "\(error)")
        }
        var served = input
        served.headers = []
        served.userAgent = nil
        return try InputSource(url: fetcher!.address, options: served, interrupt: stop.interrupt)
    }

    /// Ends the streamlink of the last connection, if any (at a reconnect and when the recording ends).
    func stopFetcher() {
        fetcher?.stop()
        fetcher = nil
    }

    /// Opens the source for the first time, polling it while `--wait` allows.
    func connectFirstTime() throws -> InputSource {
        let started = Date()
        var attempt = 0
        if options.listen { logger.info("listening on \(displaySource); push the stream there") }
        while true {
            let remaining = options.wait.map { $0 - Date().timeIntervalSince(started) }
            let error: MediaError
            switch openInput(openTimeout: options.listen ? remaining : 15) {
            case let .success(input): return input
            case let .failure(failure): error = failure
            }
            if stop.level > 0 { throw RecorderError.stoppedBeforeStart }
            if case .noAudioOrVideo = error { throw error }
            if case .unsupported = error { throw error }
            if case .refusedPush = error {
                // A push to the wrong application or key: refused, and the door stays open.
                logger.warning("\(error); still listening")
                continue
            }
            if options.listen, !Self.cannotListen(error), remaining.map({ $0 > 0 }) ?? true {
                // A client that connected and did not push a stream (a port probe, a broken encoder)
                // must not end the wait for the real one.
                logger.warning("a connection to \(displaySource) brought no stream (\(error)); still listening")
                continue
            }
            guard let remaining, remaining > 0, !options.isImport else {
                if let wait = options.wait { throw RecorderError.neverStarted(source: displaySource, waited: wait, lastError: error.description) }
                throw error
            }
            var reason = error.description
            if case let .cannotOpen(_, why) = error { reason = why }
            progress(.waitingToStart(source: displaySource, reason: reason, waited: Date().timeIntervalSince(started), limit: options.wait ?? 0))
            stop.sleep(min(delay(attempt), max(remaining, 0)))
            attempt += 1
        }
    }

    /// Whether the listening socket itself cannot be opened (then waiting longer does not help).
    static func cannotListen(_ error: MediaError) -> Bool {
        let reason = error.description
        return ["Address already in use", "Cannot assign requested address", "Permission denied", "Protocol not found",
                "unknown format", "Invalid argument"].contains { reason.contains($0) }
    }

    /// Reopens the source after a drop; nil when stopped, past `deadline`, or when the give-up limit passed.
    /// An open (a listen for the next push among them) waits no longer than `deadline`.
    func reconnect(since lostAt: Date, deadline: Date? = nil, deadlineReached: () -> Bool) -> InputSource? {
        var attempt = 0
        while stop.level == 0 {
            let failingFor = Date().timeIntervalSince(lostAt)
            if failingFor >= options.giveUpAfter {
                logger.warning("the source stayed unreachable for \(Format.clock(failingFor)); giving up")
                return nil
            }
            if deadlineReached() { return nil }
            stop.sleep(delay(attempt))
            if stop.level > 0 { return nil }
            attempt += 1
            // A page's stream address is renewed on every other attempt (it may have expired: 403).
            let openTimeout = min(options.giveUpAfter - failingFor, deadline.map { max($0.timeIntervalSinceNow, 0.1) } ?? .infinity)
            switch openInput(openTimeout: openTimeout, freshAddress: attempt % 2 == 1) {
            case let .success(input): return input
            case let .failure(error):
                if sourceEnded != nil { return nil }
                if case .refusedPush = error { logger.warning("\(error); still listening") }
                progress(.reconnecting(source: displaySource, attempt: attempt, withoutMedia: Date().timeIntervalSince(lostAt),
                                       lastError: error.description))
            }
        }
        return nil
    }
}
