import Foundation
@testable import SiaranArchive
import Testing

@Suite("Packed cues")
struct StoredCueTests {
    @Test("every cue reads back, in order and one by one, from the checkpoint before it")
    func roundTrip() {
        var offset = 8
        let cues = (0..<100).map { i -> StoredCue in
            defer { offset += 40 + i % 7 }
            return StoredCue(startMillis: Int64(i * 3600 - (i % 5 == 0 ? 500 : 0)), text: offset..<(offset + 30 + i % 7),
                             speaker: i % 3 == 0 ? nil : Int64(i / 10), agenda: i < 50 ? 1 : 70_000)
        }
        let packed = StoredCue.encode(cues)
        #expect(packed.checkpoints.count == 4 * 4)
        #expect(StoredCue.decode(packed.cues, checkpoints: packed.checkpoints) == cues)
        for index in [0, 1, 31, 32, 33, 63, 64, 95, 96, 99] {
            #expect(StoredCue.cue(at: index, in: packed.cues, checkpoints: packed.checkpoints) == cues[index])
        }
        #expect(StoredCue.cue(at: 100, in: packed.cues, checkpoints: packed.checkpoints) == nil)
        // Garbage stops the reading, never traps.
        #expect(StoredCue.decode(Data([0xFF, 0xFF, 0xFF]), checkpoints: Data([9, 9, 9, 9, 200, 0, 0, 0])).isEmpty)
        #expect(StoredCue.cue(at: 40, in: Data([1, 2]), checkpoints: Data([0, 0, 0, 0, 200, 0, 0, 0])) == nil)
    }
}
