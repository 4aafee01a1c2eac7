import Foundation
import SiaranCore

/// The local-agreement policy of whisper_streaming (Macháček et al., 2023): of the words a pass
/// hears after what is already shown, only the first ones the previous pass heard too (same words,
/// in the same order) are shown; the rest wait for the next pass. A last pass shows everything.
public struct LocalAgreement: Sendable {
    /// Words ending before this (session seconds) are shown.
    public private(set) var committed = 0.0
    /// The last pass's words after `committed`.
    public private(set) var previous: [TranscriptLines.Word] = []

    public init() {}

    /// Feeds one pass's words (session clock); returns the words to show now.
    public mutating func agree(_ heard: [TranscriptLines.Word], final: Bool) -> [TranscriptLines.Word] {
        let fresh = heard.filter { $0.start >= committed - 0.05 }
        var count = 0
        if final {
            count = fresh.count
        } else {
            while count < min(fresh.count, previous.count), Self.same(fresh[count].text, previous[count].text) { count += 1 }
        }
        let agreed = Array(fresh.prefix(count))
        previous = Array(fresh.dropFirst(count))
        if let last = agreed.last { committed = last.end }
        return agreed
    }

    /// The same word, whatever its case and punctuation.
    static func same(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        return key(a) == key(b)
    }
}
