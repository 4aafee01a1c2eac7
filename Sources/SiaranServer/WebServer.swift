import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SiaranAccounts
import SiaranArchive

/// The web companion: builds the router (API, pages, archive files) and runs the server.
public struct WebServer: Sendable {
    public let configuration: ServerConfiguration
    public let logger: Logger
    let signIns: SignInStore
    let throttle: SignInThrottle
    let users: UserFile
    let scheduler: RecordingScheduler
    let search: SearchService
    /// Saved searches, their alerts and the watch that raises them.
    let alerts: AlertService
    /// The live-update streams open now, per user (or address); shared by every router this server builds.
    let openStreams = StreamCounter(perVisitor: 4)
    /// Sessions opened by signed links from the national search, and whether offices' servers answer.
    let linkGrants = LinkGrants()
    let officeProbe = OfficeProbe()
    /// Which of this archive's sessions each other office may see, as the catalog said lately (media requests).
    let recentlyVisible = RecentlyVisible()

    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "siaran.serve"),
                throttle: SignInThrottle = SignInThrottle()) {
        self.configuration = configuration
        let logger = logger.oneLinePerEntry()
        self.logger = logger
        signIns = SignInStore(idleLimit: configuration.signInIdleLimit)
        self.throttle = throttle
        users = UserFile(archive: configuration.archive)
        scheduler = RecordingScheduler(archive: configuration.archive, mediaExecutable: configuration.mediaExecutable, logger: logger)
        search = SearchService(archive: configuration.archive, engine: configuration.searchEngine, fallback: configuration.ownCatalogEngine, logger: logger)
        alerts = AlertService(archive: configuration.archive, search: search, users: users, serverOffice: configuration.office,
                              zone: configuration.timeZone, logger: logger)
    }

    /// Every route of the server.
    public func router() -> Router<SiaranContext> {
        let archive = configuration.archive
        let gate = Gate(publicViewing: configuration.publicViewing)
        let router = Router(context: SiaranContext.self)
        let checks = SignInCheck(signIns: signIns, accounts: AccountCache(file: users))
        // Read when the server starts (`siaran catalog office --secret-file`, `catalog connect --secret-file`).
        let secrets: LinkSecrets
        do { secrets = try LinkSecrets.load(archive) } catch {
            logger.error("signed links to and from other offices are off: \(error)")
            secrets = LinkSecrets()
        }
        router.add(middleware: VisitorMiddleware(checks: checks, addresses: ClientAddress(trustedProxies: Set(configuration.trustedProxies))))
        router.add(middleware: DomainErrorMiddleware(logger: logger))
        router.add(middleware: SignedLinkMiddleware(office: configuration.office, secret: secrets.own, grants: linkGrants,
                                                    secureCookies: configuration.secureCookies, logger: logger))
        router.add(middleware: CrossSiteWriteMiddleware())
        router.add(middleware: SignInFirstMiddleware(gate: gate))
        let view = OfficeView(serverOffice: configuration.office, search: search, recent: recentlyVisible)
        router.add(middleware: OfficeViewMiddleware(view: view))
        router.add(middleware: MediaAccessMiddleware(gate: gate))
        router.add(middleware: MediaCacheMiddleware())
        router.add(middleware: FileMiddleware(fileProvider: ArchiveFiles(archive: archive, logger: logger), urlBasePath: "/media")
            .withAdditionalMediaTypes(forFileExtensions: ArchiveFiles.mediaTypes))
        let exports = DocumentExports(archive: archive, writer: DocxWriter(archive: archive, interpreters: configuration.pythonInterpreters), zone: configuration.timeZone)
        let sessions = SessionRoutes(archive: archive, gate: gate, zone: configuration.timeZone, exports: exports)
        let media = MediaJobs(configuration: configuration, logger: logger)
        AuthRoutes(users: users, signIns: signIns, throttle: throttle, gate: gate, secureCookies: configuration.secureCookies).add(to: router)
        sessions.add(to: router)
        TagRoutes(archive: archive, gate: gate).add(to: router)
        VoiceRoutes(archive: archive, gate: gate, zone: configuration.timeZone, search: search).add(to: router)
        VoiceSettingsRoutes(archive: archive, gate: gate).add(to: router)
        CorrectionRoutes(archive: archive, gate: gate, search: search).add(to: router)
        SearchRoutes(archive: archive, search: search, view: view,
                     links: OfficeLinks(serverOffice: configuration.office, secrets: secrets, probe: officeProbe), gate: gate, zone: configuration.timeZone).add(to: router)
        let live = LiveUpdates(archive: archive, gate: gate, routes: sessions, checks: checks, open: openStreams)
        live.add(to: router)
        CatalogStatusRoutes(search: search, view: view, gate: gate).add(to: router)
        AlertRoutes(alerts: alerts, gate: gate, checks: checks, open: openStreams, live: live, secure: configuration.secureCookies).add(to: router)
        MediaRoutes(archive: archive, gate: gate, jobs: media).add(to: router)
        CaptionPlaylistRoutes(archive: archive, gate: gate).add(to: router)
        PostRoutes(archive: archive, gate: gate, jobs: media, zone: configuration.timeZone, exports: exports).add(to: router)
        ScheduleRoutes(archive: archive, gate: gate, scheduler: scheduler).add(to: router)
        ManageRoutes(archive: archive, gate: gate).add(to: router)
        RetentionRoutes(archive: archive, gate: gate).add(to: router)
        AgendaRoutes(archive: archive, gate: gate).add(to: router)
        PageRoutes(archive: archive, gate: gate, users: users, zone: configuration.timeZone, view: view).add(to: router)
        LanguageRoutes(users: users, gate: gate, secureCookies: configuration.secureCookies).add(to: router)
        AssetRoutes().add(to: router)
        return router
    }

    public func application() -> some ApplicationProtocol {
        // A connection that sends nothing, or its request's head too slowly (slowloris), is closed after the
        // idle timeout; answers that take long (an event stream, the MP4 stream) are not cut by it.
        // A request's body must be all in within `requestReadTimeout` of its head (a slow body is no way around it).
        let readLimit = TimeAmount.milliseconds(Int64(configuration.requestReadTimeout * 1000))
        let http = HTTP1Channel.Configuration(additionalChannelHandlers: [RequestReadDeadline(limit: readLimit)],
                                              idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)))
        return Application(router: router(), server: .http1(configuration: http),
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Siaran"),
                    onServerRunning: { [logger, configuration] channel in
                        let port = channel.localAddress?.port ?? configuration.port
                        logger.notice("Siaran is serving \(configuration.archive.root) at http://\(configuration.host):\(port)/")
                    }, logger: logger)
    }

    /// Runs every saved search once (what the server's watch does on each change of the archive);
    /// answers how many alerts were raised.
    @discardableResult
    public func checkAlerts() async throws -> Int {
        try await search.refreshNow()
        return await alerts.check()
    }

    /// Runs until SIGINT/SIGTERM.
    public func run() async throws {
        if !configuration.isLoopback {
            logger.warning("listening on \(configuration.host), beyond this machine, without TLS: passwords and cookies cross the network in clear. Put Siaran behind a reverse proxy that terminates TLS (see the README), and pass --secure-cookies")
        }
        if (try? users.load().isEmpty) ?? true, !configuration.publicViewing {
            logger.warning("the archive has no users yet: nobody can sign in. Add one with `siaran user add NAME --role admin` (or serve with --public to let anyone view)")
        }
        let schedule = Task { [scheduler] in await scheduler.run() }
        defer { schedule.cancel() }
        // With a shared catalog: this office's sessions are pushed in the background, at start, within
        // seconds of a change to the archive (an import is in the national search at once), and every
        // 30 s otherwise (a minute after the last push, or to retry while the catalog is out of reach).
        let push = Task { [search, configuration] in
            guard configuration.ownCatalogEngine != nil else { return }
            while !Task.isCancelled {
                await search.pushIfDue()
                try? await Task.sleep(for: SearchService.changeInterval)
            }
        }
        defer { push.cancel() }
        // Sessions deleted more than 30 days ago leave the trash for good: at start, then daily.
        let purge = Task { [configuration, logger] in
            while !Task.isCancelled {
                do {
                    let gone = try SessionManager(archive: configuration.archive).purge()
                    if !gone.isEmpty { logger.notice("removed \(gone.count) session(s) deleted over \(SessionManager.trashDays) days ago: \(gone.joined(separator: ", "))") }
                } catch {
                    logger.warning("the trash could not be purged: \(error)")
                }
                try? await Task.sleep(for: .seconds(86_400))
            }
        }
        defer { purge.cancel() }
        let retention = RetentionRoutes.daily(archive: configuration.archive, logger: logger,
                                              engines: [configuration.ownCatalogEngine, configuration.searchEngine].compactMap { $0 })
        defer { retention.cancel() }
        let watch = Task { [alerts] in await alerts.watch() }
        defer { watch.cancel() }
        try await application().runService()
    }
}

/// Refuses a write whose Origin header names another site, before any route sees it.
struct CrossSiteWriteMiddleware: RouterMiddleware {
    typealias Context = SiaranContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if ![.get, .head, .options].contains(request.method), request.isCrossSite {
            throw APIError(.forbidden, key: "error.crossSite")
        }
        return try await next(request, context)
    }
}

/// Archive files (`/media/…`) are for viewers only.
struct MediaAccessMiddleware: RouterMiddleware {
    typealias Context = SiaranContext
    let gate: Gate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/media/") { try gate.require(.viewer, context) }
        return try await next(request, context)
    }
}
