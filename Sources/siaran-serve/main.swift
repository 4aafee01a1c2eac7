import Foundation
import SiaranCatalogPostgres
import SiaranCatalogSQLite
import SiaranCLI
import SiaranServer

// `siaran-serve`: `siaran serve` runs here (NIO and Hummingbird are linked into this executable only);
// every other command works here too.
CommandEnvironment.use(searchEngine: SQLiteCatalogEngine(logger: Console().logger(label: "siaran.catalog")), sharedCatalog: { url, office, replica in
    PostgresCatalogEngine(url: url, office: office, logger: Console().logger(label: "siaran.catalog"), replica: replica)
})
CommandEnvironment.use(webServer: { request in
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var configuration = ServerConfiguration(archive: request.archive, host: request.host, port: request.port,
                                            publicViewing: request.publicViewing, searchEngine: try CommandEnvironment.searchEngine,
                                            mediaExecutable: (me as NSString).deletingLastPathComponent + "/siaran-media")
    configuration.secureCookies = request.secureCookies
    configuration.trustedProxies = request.trustedProxies
    configuration.timeZone = request.timeZone
    // With a shared catalog: the archive's own catalog answers while it is out of reach.
    if CommandEnvironment.sharedCatalogSelected { configuration.ownCatalogEngine = CommandEnvironment.localEngine }
    let server = WebServer(configuration: configuration, logger: Console().logger(label: "siaran.serve"))
    try AsyncBridge.wait { try await server.run() }
})
SiaranCommand.runRedacted()
