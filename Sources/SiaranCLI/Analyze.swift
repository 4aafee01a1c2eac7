import ArgumentParser
import SiaranSearch
import Foundation
import SiaranArchive
import SiaranCore

public struct Analyze: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Print the tokens the search index stores for TEXT, one per line: stem, then the exact form.",
        discussion: "Then what a search for TEXT also looks for: abbreviations and their long forms (DPT ↔ daftar pemilih tetap)."
    )

    @Argument(help: "Text to analyse.") var text: String

    public func run() {
        for token in TextAnalyzer().tokens(text) {
            print(token.stem == token.exact ? token.stem : "\(token.stem)\t\(token.exact)")
        }
        guard let query = try? SearchQuery(text) else { return }
        for applied in QueryExpansion.standard.expand(query).applied {
            print("also searched: \(applied.from) → " + applied.to.map { "“\($0)”" }.joined(separator: ", "))
        }
    }
}
