import Foundation
import SiaranCore

extension NewsPost {
    /// The quotes as the transcript now reads: a quote of a line an officer corrected after it was
    /// starred says what the corrected line says (a part of the line that the correction left as it
    /// was stays that part), and counts as checked by a person. `lines`: the session's corrected
    /// transcript (`CorrectedTranscript.lines`).
    public func followingCorrections(_ lines: [CorrectedTranscript.Line]) -> NewsPost {
        let corrected = lines.filter(\.corrected)
        guard !corrected.isEmpty, !quotes.isEmpty else { return self }
        var post = self
        for i in post.quotes.indices {
            let quote = post.quotes[i]
            guard let line = corrected.first(where: { abs($0.cue.start - quote.at) < 0.05 }) else { continue }
            let whole = TextFolding.fold(quote.text) == TextFolding.fold(line.original ?? "")
            if whole || !TextFolding.fold(line.cue.text).contains(TextFolding.fold(quote.text)) {
                post.quotes[i].text = line.cue.text
            }
            post.quotes[i].end = line.cue.end
            post.quotes[i].machine = false
        }
        return post
    }
}
