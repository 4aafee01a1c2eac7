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
    @Option(help: "Only sessions started on or after this date (YYYY-MM-DD).", transform: DateArgument.parse) var since: Date?
    @Option(help: "Only sessions started before the end of this date (YYYY-MM-DD).", transform: DateArgument.parseEnd) var until: Date?
    @Option(help: "Only this session (id or unique part).") var session: String?
    @Option(help: "At most this many hits.") var limit = 20
    @Option(help: "Hits of one session before the other sessions' (0: rank by score alone; --session lists all).")
    var perSession = 3
    @Flag(help: "Print hits as JSON.") var json = false
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var catalog: CatalogOptions

    public func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        guard (0...1000).contains(perSession) else { throw ValidationError("--per-session must be between 0 and 1000") }
        do { _ = try SearchQuery(query) } catch let error as SearchQuery.ParseError {
            throw ValidationError("cannot search for that: \(error.message)")
        }
    }

    public func run() throws {
        try catalog.select()
        let store = archive.open()
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
        var filters = SearchFilters(speaker: speaker, topic: topic, agenda: agenda, since: since, until: until)
        if let session { filters.session = try store.resolve(session) }
        let result: SearchResult
        do {
            result = try CatalogAccess.search(index, query, filters: filters, limit: limit, perSession: perSession)
        } catch let unknown as UnknownFilterValue {
            throw CommandFailure(String(describing: unknown))
        }
        if json {
            print(String(decoding: try JSONCoding.encoder().encode(result), as: UTF8.self))
        } else {
            SearchOutput(result: result, terminal: isatty(STDOUT_FILENO) == 1).print()
        }
    }
}
