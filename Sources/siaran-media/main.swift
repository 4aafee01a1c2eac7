import SiaranCatalogSQLite
import SiaranCLI
import SiaranMediaCommands

// `siaran-media`: the libav-linked commands (record, import, captions, clip, recover, demo) run here,
// with the archive's own SQLite catalog. It links no PostgreSQL client (postgres-nio, NIO, BoringSSL:
// a recorder must not carry what it does not run), so a command asked to use a shared catalog
// (`--catalog`, `$SIARAN_CATALOG`) is handed back to `siaran` beside it, which runs it whole.
CommandEnvironment.use(searchEngine: SQLiteCatalogEngine(logger: Console().logger(label: "siaran.catalog")),
                       sharedCatalog: CommandEnvironment.handBackToSiaran)
SiaranCommand.runRedacted()
