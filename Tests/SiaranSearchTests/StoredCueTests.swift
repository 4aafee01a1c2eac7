import Foundation
@testable import SiaranCatalogSQLite
import Testing

@Suite("Packed cues")
struct StoredCueTests {
    @Test("every cue reads back, in order and by runs from one checkpoint to the next")
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
            let chunk = StoredCue.chunk(holding: index, in: packed.cues, checkpoints: packed.checkpoints)
            #expect(chunk.first == index / 32 * 32)
            #expect(chunk.cues == Array(cues[chunk.first..<min(chunk.first + 32, cues.count)]))
        }
        // Past the end: the last run, which does not hold it.
        let last = StoredCue.chunk(holding: 100, in: packed.cues, checkpoints: packed.checkpoints)
        #expect(last.first + last.cues.count <= 100)
        // Without checkpoints (catalogs written before them): every cue, from the first.
        let whole = StoredCue.chunk(holding: 40, in: StoredCue.encode(Array(cues.prefix(20))).cues, checkpoints: Data())
        #expect(whole.first == 0 && whole.cues.count == 20)
        // Garbage stops the reading, never traps.
        #expect(StoredCue.decode(Data([0xFF, 0xFF, 0xFF]), checkpoints: Data([9, 9, 9, 9, 200, 0, 0, 0])).isEmpty)
        #expect(StoredCue.chunk(holding: 40, in: Data([1, 2]), checkpoints: Data([0, 0, 0, 0, 200, 0, 0, 0])).cues.isEmpty)
    }
}
