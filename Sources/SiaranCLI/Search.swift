import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

public struct Search: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Search every session by keyword and land on the moment: who spoke, which agenda item, what matched.",
        discussion: """
        Words must all match (in one caption, or in neighbouring ones a few seconds apart, or partly in the \
        session's title); "quoted phrases" match in order; prefix* matches word beginnings; OR between \
        alternatives; -word excludes. Indonesian words match their other forms (mensosialisasikan finds \
        sosialisasi); exact forms rank first; abbreviations find their long forms (DPT finds "daftar pemilih \
        tetap") and back. A misspelt word is corrected from the archive's words when the query finds \
        nothing; when no moment has every word, those with most of them are shown, and said to be. \
        Sessions whose title, description or roster match are listed first as sessions, not as moments. \
        Each session shows at most --per-session moments (its best) before every other session has had \
        its turn; the rest follow when there is room.
        """
    )

    @Argument(help: "What to look for.") var query: String
    @Option(help: "Only moments when this speaker was speaking (whole words of the name or a roster alias).") var speaker: String?
    @Option(help: "Only sessions tagged with this topic.") var topic: String?
    @Option(help: "Only moments during this agenda item (whole words of its title).") var agenda: String?
    @Option(name: .customLong("since"), help: ArgumentHelp("Only sessions started on or after this day (YYYY-MM-DD, from midnight in the office's zone).", valueName: "since"))
    var sinceText: String?
    @Option(name: .customLong("until"), help: ArgumentHelp("Only sessions started before the end of this day (YYYY-MM-DD, in the office's zone).", valueName: "until"))
    var untilText: String?
    @Option(help: ArgumentHelp("The office's time zone for --since, --until and the dates shown, an IANA name (default: $SIARAN_TIMEZONE, else this machine's).",
                               valueName: "zone"))
    var timezone: String?
    @Option(help: "Only this session (id or unique part).") var session: String?
    @Option(name: .customLong("from-office"), help: ArgumentHelp("Only this office's sessions (a shared catalog).", valueName: "office"))
    var fromOffice: String?
    @Option(help: "At most this many hits.") var limit = 20
    @Option(help: "Hits of one session before the other sessions' (0: rank by score alone; --session lists all).")
    var perSession = 3
    @Flag(help: "Print hits as JSON.") var json = false
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var catalog: CatalogOptions

    public func validate() throws {
        _ = try zone
        _ = try since
        _ = try until
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        guard (0...1000).contains(perSession) else { throw ValidationError("--per-session must be between 0 and 1000") }
        do { _ = try SearchQuery(query) } catch let error as SearchQuery.ParseError {
            throw ValidationError("cannot search for that: \(error.message)")
        }
    }

    /// The office's zone: `--timezone`, else `$SIARAN_TIMEZONE`, else the machine's.
    var zone: TimeZone {
        get throws {
            var office = OfficeOptions()
            office.timezone = timezone
            return try office.time().zone
        }
    }

    /// `--since`: from midnight of that day in the office's zone.
    var since: Date? { get throws { try sinceText.map { try DateArgument.parse($0, zone: zone) } } }
    /// `--until`: before the next midnight in the office's zone.
    var until: Date? { get throws { try untilText.map { try DateArgument.parseEnd($0, zone: zone) } } }

    public func run() throws {
        let store = archive.open()
        try catalog.select(archive: store)
        let console = Console()
        let index: any SearchIndex
        do {
            index = try CatalogAccess.refreshed(store, console: console)
        } catch {
            // The catalog could not be brought up to date (another process held it too long, or
            // the disk is full): search what it holds, and say so.
            console.warn("searching the catalog as it is; it could not be updated: \(error)")
            index = try CatalogAccess.open(store)
        }
        var filters = SearchFilters(speaker: speaker, topic: topic, agenda: agenda, since: try since, until: try until)
        if let session { filters.session = try store.resolve(session) }
        if let fromOffice {
            guard CommandEnvironment.sharedCatalogSelected else {
                throw CommandFailure("--from-office chooses among the offices of a shared catalog: give --catalog postgres://… (or connect the archive: siaran catalog connect)")
            }
            filters.office = fromOffice
        }
        let result: SearchResult
        do {
            result = try CatalogAccess.search(index, query, filters: filters, limit: limit, perSession: perSession)
        } catch let unknown as UnknownFilterValue {
            throw CommandFailure(String(describing: unknown))
        }
        let office = OfficeTime(zone: try zone)
        if json {
            print(String(decoding: try JSONCoding.encoder(zone: office.zone).encode(result), as: UTF8.self))
        } else {
            SearchOutput(result: result, terminal: isatty(STDOUT_FILENO) == 1, time: office).print()
        }
    }
}
