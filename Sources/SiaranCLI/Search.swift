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
        Words must all match; "quoted phrases" match in order; prefix* matches word beginnings; OR between \
        alternatives; -word excludes. Indonesian words match their other forms (mensosialisasikan finds \
        sosialisasi); exact forms rank first. Each session shows at most --per-session hits (its best) \
        before every other session has had its turn; the rest follow when there is room.
        """
    )

    @Argument(help: "What to look for.") var query: String
    @Option(help: "Only moments when this speaker was speaking.") var speaker: String?
    @Option(help: "Only sessions tagged with this topic.") var topic: String?
    @Option(help: "Only moments during this agenda item (part of its title).") var agenda: String?
    @Option(help: "Only sessions started on or after this date (YYYY-MM-DD).", transform: DateArgument.parse) var since: Date?
    @Option(help: "Only sessions started before the end of this date (YYYY-MM-DD).", transform: DateArgument.parseEnd) var until: Date?
    @Option(help: "Only this session (id or unique part).") var session: String?
    @Option(help: "At most this many hits.") var limit = 20
    @Option(help: "Hits of one session before the other sessions' (0: rank by score alone; --session lists all).")
    var perSession = 3
    @Flag(help: "Print hits as JSON.") var json = false
    @OptionGroup var archive: ArchiveOptions

    public func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        guard (0...1000).contains(perSession) else { throw ValidationError("--per-session must be between 0 and 1000") }
        do { _ = try SearchQuery(query) } catch let error as SearchQuery.ParseError {
            throw ValidationError("cannot search for that: \(error.message)")
        }
    }

    public func run() throws {
        let parsed = try SearchQuery(query)
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
        let hits = try CatalogAccess.search(index, parsed, filters: filters, limit: limit, perSession: perSession)
        if json {
            struct Output: Codable { var query: String; var hits: [SearchHit] }
            print(String(decoding: try JSONCoding.encoder().encode(Output(query: query, hits: hits)), as: UTF8.self))
            return
        }
        if hits.isEmpty {
            print("no matches for \(query)")
            return
        }
        let terminal = isatty(STDOUT_FILENO) == 1
        for hit in hits {
            let date = hit.date.map { String(ISO8601.format($0).prefix(10)) } ?? ""
            let who = [hit.speaker.map { "speaker: \($0)" }, hit.agenda.map { "agenda: \($0)" }].compactMap { $0 }.joined(separator: " · ")
            print("\(hit.session)  \(date)  \(hit.moment) (\(Decimals.string(hit.seconds, places: 1)) s)  [\(hit.matched)]  \(hit.title)")
            if !who.isEmpty { print("    \(who)") }
            let snippet = TerminalText.safe(hit.snippet, keepLineBreaks: false)
            if terminal {
                Swift.print("    " + snippet.replacingOccurrences(of: "«", with: "\u{1B}[1;33m").replacingOccurrences(of: "»", with: "\u{1B}[0m"))
            } else {
                print("    \(snippet)")
            }
        }
    }
}
