import SiaranCatalogPostgres
import SiaranCatalogSQLite
import SiaranCLI

// `siaran`: the archive commands run here (no libav, so it starts in milliseconds); media commands
// are handed to `siaran-media` beside it before anything else is done.
CommandEnvironment.use(searchEngine: SQLiteCatalogEngine(logger: Console().logger(label: "siaran.catalog")), sharedCatalog: { url, office, replica in
    PostgresCatalogEngine(url: url, office: office, logger: Console().logger(label: "siaran.catalog"), replica: replica)
})
SiaranCommand.runLight()
