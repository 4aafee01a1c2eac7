import Foundation

/// What the catalog keeps of one cue: when it starts, where its text stands in the caption file, and
/// the speaker and agenda item (label numbers) at that moment.
struct StoredCue: Equatable {
    var startMillis: Int64
    var text: Range<Int>
    var speaker: Int64?
    var agenda: Int64?

    /// Every this many cues the deltas start again from zero, and `checkpoints` records where in the
    /// data that cue begins: a cue is then found by decoding at most this many.
    static let checkpointInterval = 32

    /// Packs cues as varints: start (zig-zag delta), gap to the previous text, text length, labels + 1
    /// (about 6 bytes a cue); and the checkpoints, 4 bytes (little-endian offset) per `checkpointInterval` cues.
    static func encode(_ cues: [StoredCue]) -> (cues: Data, checkpoints: Data) {
        var out = Data()
        var checkpoints = Data()
        out.reserveCapacity(cues.count * 7)
        func put(_ value: UInt64) {
            var v = value
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        var lastStart: Int64 = 0, lastEnd = 0
        for (index, cue) in cues.enumerated() {
            if index % checkpointInterval == 0 {
                lastStart = 0; lastEnd = 0
                withUnsafeBytes(of: UInt32(out.count).littleEndian) { checkpoints.append(contentsOf: $0) }
            }
            let delta = cue.startMillis - lastStart
            put(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)))
            put(UInt64(max(0, cue.text.lowerBound - lastEnd)))
            put(UInt64(cue.text.count))
            put(UInt64(cue.speaker.map { $0 + 1 } ?? 0))
            put(UInt64(cue.agenda.map { $0 + 1 } ?? 0))
            lastStart = cue.startMillis
            lastEnd = cue.text.upperBound
        }
        return (out, checkpoints)
    }

    /// The cues of `data` (stops at the first malformed one).
    static func decode(_ data: Data, checkpoints: Data) -> [StoredCue] {
        var cues: [StoredCue] = []
        scan(data, checkpoints: checkpoints, from: 0) { cue, _ in cues.append(cue); return true }
        return cues
    }

    /// The cues from the checkpoint at or before `index` up to the next one (every cue when `data`
    /// has no checkpoints), and the position of the first of them.
    static func chunk(holding index: Int, in data: Data, checkpoints: Data) -> (first: Int, cues: [StoredCue]) {
        var first: Int?
        var cues: [StoredCue] = []
        cues.reserveCapacity(checkpoints.isEmpty ? 0 : checkpointInterval)
        scan(data, checkpoints: checkpoints, from: index) { cue, position in
            if first == nil { first = position }
            if !checkpoints.isEmpty && position >= first! + checkpointInterval { return false }
            cues.append(cue)
            return true
        }
        return (first ?? 0, cues)
    }

    /// Calls `body` with each cue and its position, from the checkpoint at or before `index` (from
    /// the start without checkpoints: catalogs written before them), until it returns false.
    private static func scan(_ data: Data, checkpoints: Data, from index: Int, _ body: (StoredCue, Int) -> Bool) {
        let resets = !checkpoints.isEmpty
        var position = 0, start = 0
        if resets {
            let k = min(max(0, index) / checkpointInterval, checkpoints.count / 4 - 1)
            if k > 0 {
                start = Int(checkpoints.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)) })
                position = k * checkpointInterval
            }
        }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var i = start
            guard i <= raw.count else { return }
            func get() -> UInt64? {
                var value: UInt64 = 0, shift: UInt64 = 0
                while i < raw.count, shift < 64 {
                    let byte = raw[i]; i += 1
                    value |= UInt64(byte & 0x7F) << shift
                    if byte < 0x80 { return value }
                    shift += 7
                }
                return nil
            }
            var lastStart: Int64 = 0, lastEnd = 0
            while i < raw.count {
                if resets && position % checkpointInterval == 0 { lastStart = 0; lastEnd = 0 }
                guard let zigzag = get(), let gap = get(), let length = get(), let speaker = get(), let agenda = get(),
                      gap < 1 << 40, length < 1 << 40, speaker < 1 << 62, agenda < 1 << 62 else { return }
                let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
                lastStart &+= delta
                let from = lastEnd + Int(gap)
                lastEnd = from + Int(length)
                let cue = StoredCue(startMillis: lastStart, text: from..<lastEnd,
                                    speaker: speaker == 0 ? nil : Int64(speaker) - 1, agenda: agenda == 0 ? nil : Int64(agenda) - 1)
                guard body(cue, position) else { return }
                position += 1
            }
        }
    }
}
