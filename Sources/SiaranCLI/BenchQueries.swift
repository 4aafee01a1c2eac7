import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

/// For Scripts/bench-search: runs queries in-process against the catalog and prints latencies.
public struct BenchQueries: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "bench-queries",
        abstract: "Time searches in-process (used by Scripts/bench-search).",
        shouldDisplay: false
    )

    struct Case: Codable {
        var name: String
        var query: String
        var speaker: String?
        var session: String?
        var since: String?
        var office: String?
    }

    struct Timing: Codable {
        var name: String
        var hits: Int
        var millis: [Double]
    }

    @Option(help: "JSON file: an array of {name, query, speaker?, session?, since?, office?}.") var cases: String
    @Option(name: .customLong("repeat"), help: "Runs per query.") var runs: Int = 50
    @Flag(help: "Each run goes through every query once, in a shuffled order (a client's mix), instead of one query's runs in a row.")
    var mixed = false
    @Option(help: ArgumentHelp("Start timing at this time (seconds since 1970), so that several processes measure together.", valueName: "seconds"))
    var startAt: Double?
    @Option(name: .customLong("replica-deadline"), help: ArgumentHelp("How long a search may take on the --catalog-read replica before the primary is asked (default: 2).",
                                                                      valueName: "seconds"))
    var replicaDeadline: Double = ReadReplica.defaultDeadline
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var catalog: CatalogOptions

    public func validate() throws {
        guard replicaDeadline > 0 && replicaDeadline.isFinite else { throw ValidationError("--replica-deadline must be a number of seconds above 0 (got \(replicaDeadline))") }
    }

    public func run() throws {
        let store = Archive(path: archive.archive)
        try catalog.select(archive: store, replicaDeadline: replicaDeadline)
        let index = try CatalogAccess.open(store)
        let list = try JSONDecoder().decode([Case].self, from: Data(contentsOf: URL(fileURLWithPath: cases)))
        func filters(_ item: Case) -> SearchFilters {
            var filters = SearchFilters(speaker: item.speaker, since: item.since.flatMap(ISO8601.parse), session: item.session)
            filters.office = item.office
            return filters
        }
        func timed(_ item: Case) throws -> (hits: Int, millis: Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let hits = try CatalogAccess.search(index, item.query, filters: filters(item), limit: 20).hits.count
            return (hits, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        var timings = list.map { Timing(name: $0.name, hits: 0, millis: []) }
        if mixed {
            // One warm-up pass (connections, page cache), then the clients' start together.
            for (number, item) in list.enumerated() { timings[number].hits = try timed(item).hits }
            if let startAt { Thread.sleep(forTimeInterval: max(0, startAt - Date().timeIntervalSince1970)) }
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<runs {
                for number in list.indices.shuffled(using: &generator) { timings[number].millis.append(try timed(list[number]).millis) }
            }
        } else {
            for (number, item) in list.enumerated() {
                for run in 0...runs {
                    let (hits, elapsed) = try timed(item)
                    timings[number].hits = hits
                    if run > 0 { timings[number].millis.append(elapsed) }  // the first run warms the page cache
                }
            }
        }
        print(String(decoding: try JSONEncoder().encode(timings), as: UTF8.self))
        // Through a replica: which server answered (a search the replica failed or was late for went to the primary).
        if let answered = ((try? CommandEnvironment.searchEngine) as? any ReadReplicaReporting)?.searchesAnswered() {
            FileHandle.standardError.write(Data("bench-queries: searches answered by the replica \(answered.replica), by the primary \(answered.primary)\n".utf8))
        }
    }
}
