import Foundation

/// Words a speech recogniser heard, grouped into caption lines people can read and search: a line
/// ends at a pause, at the end of the recogniser's sentence, or when it grows past about seven
/// seconds or fourteen words.
public enum TranscriptLines {
    /// One recognised word on the session clock.
    public struct Word: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var text: String
        /// The recogniser's sentence (segment) number.
        public var segment: Int

        public init(start: Double, end: Double, text: String, segment: Int) {
            self.start = start
            self.end = end
            self.text = text
            self.segment = segment
        }
    }

    public static let longestLine = 7.0
    public static let mostWords = 14
    public static let pause = 0.8

    /// The words as cues, in order.
    public static func cues(_ words: [Word]) -> [Cue] {
        var cues: [Cue] = []
        var line: [Word] = []
        func finish() {
            guard let first = line.first, let last = line.last else { return }
            let text = line.map { $0.text.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            if !text.isEmpty { cues.append(Cue(start: first.start, end: max(last.end, first.start), text: text)) }
            line.removeAll()
        }
        for word in words {
            if let first = line.first, let last = line.last,
               word.segment != last.segment || word.start - last.end > pause || word.end - first.start > longestLine || line.count >= mostWords {
                finish()
            }
            line.append(word)
        }
        finish()
        return cues
    }
}
