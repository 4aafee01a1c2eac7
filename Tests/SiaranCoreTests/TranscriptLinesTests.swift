import SiaranCore
import Testing

@Suite("Transcript lines")
struct TranscriptLinesTests {
    func word(_ start: Double, _ text: String, segment: Int = 0, length: Double = 0.4) -> TranscriptLines.Word {
        TranscriptLines.Word(start: start, end: start + length, text: text, segment: segment)
    }

    @Test("lines end at pauses, at the recogniser's sentence ends and when they grow long")
    func grouping() {
        let words = [word(0, "Selamat"), word(0.5, "pagi."), word(2.0, "Hari"), word(2.5, "ini"), word(3, "kita", segment: 1), word(3.4, "mulai.", segment: 1)]
            + (0..<20).map { word(10 + Double($0) * 0.5, "kata\($0)", segment: 2) }
        let cues = TranscriptLines.cues(words)
        #expect(cues.prefix(3).map(\.text) == ["Selamat pagi.", "Hari ini", "kita mulai."])
        #expect(cues[0].start == 0 && cues[2].end == 3.8)
        #expect(cues.dropFirst(3).allSatisfy { $0.text.split(separator: " ").count <= TranscriptLines.mostWords && $0.end - $0.start <= TranscriptLines.longestLine + 0.5 })
        #expect(cues.dropFirst(3).map { $0.text.split(separator: " ").count }.reduce(0, +) == 20)
        #expect(TranscriptLines.cues([]).isEmpty)
    }
}
