import SiaranCatalogPostgres
import SiaranCatalogSQLite
import SiaranCLI
import SiaranMediaCommands

// `siaran-media`: the libav-linked commands (record, import, captions, clip, recover, demo) run here;
// every other command works here too, so this executable is a complete siaran.
CommandEnvironment.use(searchEngine: SQLiteCatalogEngine(logger: Console().logger(label: "siaran.catalog")), sharedCatalog: { url, office in
    PostgresCatalogEngine(url: url, office: office, logger: Console().logger(label: "siaran.catalog"))
})
SiaranCommand.runRedacted()
