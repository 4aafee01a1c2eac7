import ArgumentParser
import Foundation
import Siaran
import SiaranArchive
import SiaranCore

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
        let catalog: Catalog
        do {
            catalog = try CatalogIndexer.refresh(store, console: Console())
        } catch {
            // The catalog could not be brought up to date (another process held it too long, or
            // the disk is full): search what it holds, and say so.
            Console().warn("searching the catalog as it is; it could not be updated: \(error)")
            catalog = try Catalog(path: CatalogIndexer.catalogPath(store))
        }
        var filters = SearchFilters(speaker: speaker, topic: topic, agenda: agenda, since: since, until: until)
        if let session { filters.session = try store.resolve(session) }
        let hits = try catalog.search(parsed, filters: filters, limit: limit, perSession: perSession)
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
            let snippet = terminal ? hit.snippet.replacingOccurrences(of: "«", with: "\u{1B}[1;33m").replacingOccurrences(of: "»", with: "\u{1B}[0m") : hit.snippet
            print("    \(snippet)")
        }
    }
}

/// Dates typed on the command line.
enum DateArgument {
    static func parse(_ text: String) throws -> Date {
        if let date = ISO8601.parse(text) { return date }
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil,
              let date = ISO8601.parse(text + "T00:00:00Z") else {
            throw ValidationError("'\(text)' is not a date (use YYYY-MM-DD)")
        }
        return date
    }

    static func parseEnd(_ text: String) throws -> Date {
        let date = try parse(text)
        return text.count == 10 ? date.addingTimeInterval(86_400) : date
    }
}

public struct Analyze: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Print the tokens the search index stores for TEXT, one per line: stem, then the exact form."
    )

    @Argument(help: "Text to analyse.") var text: String

    public func run() {
        for token in TextAnalyzer().tokens(text) {
            print(token.stem == token.exact ? token.stem : "\(token.stem)\t\(token.exact)")
        }
    }
}

public struct Reindex: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(abstract: "Rebuild the search catalog from the session files.")
    @OptionGroup var archive: ArchiveOptions

    public func run() throws {
        let store = archive.open()
        let started = Date()
        let result = try CatalogIndexer.rebuild(store, console: Console())
        print("indexed \(result.sessions) sessions (\(result.documents) entries) in \(Decimals.string(Date().timeIntervalSince(started), places: 1)) s")
    }
}
