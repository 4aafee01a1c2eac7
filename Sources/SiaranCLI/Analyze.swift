import ArgumentParser
import SiaranSearch
import Foundation
import SiaranArchive
import SiaranCore

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
