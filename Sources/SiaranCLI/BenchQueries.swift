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
    }

    struct Timing: Codable {
        var name: String
        var hits: Int
        var millis: [Double]
    }

    @Option(help: "JSON file: an array of {name, query, speaker?, session?, since?}.") var cases: String
    @Option(name: .customLong("repeat"), help: "Runs per query.") var runs: Int = 50
    @OptionGroup var archive: ArchiveOptions

    public func run() throws {
        let store = Archive(path: archive.archive)
        let index = try CatalogAccess.open(store)
        let list = try JSONDecoder().decode([Case].self, from: Data(contentsOf: URL(fileURLWithPath: cases)))
        var timings: [Timing] = []
        for item in list {
            let filters = SearchFilters(speaker: item.speaker, since: item.since.flatMap(ISO8601.parse), session: item.session)
            var millis: [Double] = []
            var hits = 0
            for run in 0...runs {
                let start = DispatchTime.now().uptimeNanoseconds
                hits = try CatalogAccess.search(index, item.query, filters: filters, limit: 20).hits.count
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                if run > 0 { millis.append(elapsed) }  // the first run warms the page cache
            }
            timings.append(Timing(name: item.name, hits: hits, millis: millis))
        }
        print(String(decoding: try JSONEncoder().encode(timings), as: UTF8.self))
    }
}
