import Foundation
import SiaranCore

/// The local-agreement policy of whisper_streaming (Macháček et al., 2023): of the words a pass
/// hears after what is already shown, only the first ones the previous pass heard too (same words,
/// in the same order) are shown, or after a stretch the two heard otherwise, the first three or more
/// they heard alike at the same moment (`resynchronised`); the rest wait for the next pass. A last
/// pass shows everything.
/// The words not agreed yet (`unconfirmed`) are the greyed tail pages show after the live lines.
public struct LocalAgreement: Sendable {
    /// Words ending before this (session seconds) are shown.
    public private(set) var committed = 0.0
    /// Where the next pass's audio starts: the start of the last word shown, a word boundary, so that
    /// Whisper hears that word whole (and its words before `committed` are dropped again). Until
    /// session 15 the audio started 0.3 s before `committed`, inside that word: Whisper heard its last
    /// syllable as a word of its own or joined it to the next ("di Alisasi"), which starts before
    /// `committed` and was dropped with it.
    public private(set) var windowStart = 0.0
    /// The last pass's words after `committed`.
    public private(set) var previous: [TranscriptLines.Word] = []
    /// Words one pass heard that were given up when the passes fell behind (`skip`): kept, unconfirmed,
    /// until the final transcript reaches them (`forget(before:)`), instead of vanishing.
    public private(set) var heardOnce: [TranscriptLines.Word] = []
    /// The last pass's words at the very end of its audio, perhaps cut off mid-word: not agreed on
    /// (nor kept for the next pass to agree with: the next pass hears them whole), but shown in the
    /// tail at once. Until session 14 they were left out of it too, and a word said as a pass began
    /// was first shown a whole pass later (about 4 s quiet).
    public private(set) var atAudioEnd: [TranscriptLines.Word] = []

    /// How close to the end of a pass's audio a word may end and still count as heard whole.
    public static let cutMargin = 0.3

    /// What is heard but not agreed: the words given up when behind, then the last pass's pending
    /// words, then those at the end of its audio.
    public var unconfirmed: [TranscriptLines.Word] { heardOnce + previous + atAudioEnd }

    public init() {}

    /// Feeds one pass's words (session clock), heard in audio that ends at `audioEnd`; returns the
    /// words to show now. A word still being said at the audio's end waits for the next pass (unless
    /// this is the last).
    public mutating func agree(_ heard: [TranscriptLines.Word], final: Bool, audioEnd: Double = .infinity) -> [TranscriptLines.Word] {
        let fresh = heard.filter { $0.start >= committed - 0.05 }
        let whole = final ? fresh : fresh.filter { $0.end < audioEnd - Self.cutMargin }
        let (skipped, count) = final ? (0, whole.count) : Self.agreement(whole, previous)
        let agreed = Array(whole.dropFirst(skipped).prefix(count))
        previous = Array(whole.dropFirst(skipped + count))
        atAudioEnd = final ? [] : fresh.filter { $0.end >= audioEnd - Self.cutMargin }
        if let last = agreed.last {
            committed = last.end
            windowStart = min(last.start, last.end)
        }
        return agreed
    }

    /// Which of `fresh`'s words the previous pass heard too, as (words skipped, words agreed).
    /// Compared as letters, so a word Whisper joins in one pass and splits in the next ("Mulaipagi",
    /// "mulai pagi") still agrees. Either pass may begin with up to two words the other lacks or hears
    /// otherwise (a word cut at the window's start: "Sialisasi" / "di Alisasi"); such a start is
    /// passed over (the 30 s transcript has it) when at least two words agree after it. When nothing
    /// agrees so, the passes resynchronise (`resynchronised`).
    static func agreement(_ fresh: [TranscriptLines.Word], _ previous: [TranscriptLines.Word]) -> (skipped: Int, count: Int) {
        var best = (skipped: 0, count: 0)
        for skipFresh in 0...min(2, fresh.count) {
            for skipPrevious in 0...min(2, previous.count) {
                let count = agreedCount(fresh.dropFirst(skipFresh), previous.dropFirst(skipPrevious))
                if skipFresh + skipPrevious > 0 && count < 2 { continue }
                if count > best.count { best = (skipFresh, count) }
            }
        }
        return best.count > 0 ? best : resynchronised(fresh, previous)
    }

    /// Words agreed on after a stretch the two passes heard differently: until session 15 a word heard
    /// otherwise near a window's start held back every word after it, however many passes heard those
    /// alike ('provinsi' was heard right by consecutive passes after "di Laksa, Makhkan" / "di laksa
    /// rakat", and never shown as a line: its alert came from the 30 s pass, 24-41 s later). The
    /// earliest place where at least `resyncWords` words agree, starting within `resyncSeconds` of each
    /// other in both passes (the same moment, not a repeated word elsewhere), is agreed from; the
    /// words before it are passed over (the 30 s transcript has them).
    static func resynchronised(_ fresh: [TranscriptLines.Word], _ previous: [TranscriptLines.Word]) -> (skipped: Int, count: Int) {
        for skipFresh in fresh.indices {
            var best = 0
            for skipPrevious in previous.indices where abs(fresh[skipFresh].start - previous[skipPrevious].start) <= resyncSeconds {
                best = max(best, agreedCount(fresh.dropFirst(skipFresh), previous.dropFirst(skipPrevious)))
            }
            if best >= resyncWords { return (skipFresh, best) }
        }
        return (0, 0)
    }

    /// How many words agree after a stretch heard otherwise, and how close in time they must start.
    static let resyncWords = 3
    static let resyncSeconds = 1.0

    /// How many of `fresh`'s first words `previous`'s first words hold, letter for letter, ending on
    /// one of `previous`'s word boundaries ("sosial" is not "sosialisasi").
    static func agreedCount(_ fresh: ArraySlice<TranscriptLines.Word>, _ previous: ArraySlice<TranscriptLines.Word>) -> Int {
        let keys = previous.map { key($0.text) }
        let heard = Array(keys.joined())
        var boundaries: Set<Int> = [0], end = 0
        for key in keys { end += key.count; boundaries.insert(end) }
        var position = 0, matched = 0, count = 0
        for word in fresh.map({ Array(key($0.text)) }) {
            guard position + word.count <= heard.count, Array(heard[position..<position + word.count]) == word else { break }
            position += word.count
            matched += 1
            if boundaries.contains(position) { count = matched }
        }
        return count
    }

    static func key(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }

    /// Gives up agreeing on the words before `time` (passes fell too far behind to hear them twice):
    /// later passes agree from there. The pending words that start before `time` were heard once; they
    /// are kept in `heardOnce` (and returned) rather than dropped. Never moves back.
    @discardableResult
    public mutating func skip(to time: Double) -> [TranscriptLines.Word] {
        guard time > committed else { return [] }
        let given = previous.filter { $0.start < time }
        heardOnce += given
        committed = time
        windowStart = time
        previous = []
        atAudioEnd = []
        return given
    }

    /// Forgets the once-heard words that start before `time` (the final transcript has reached them).
    public mutating func forget(before time: Double) {
        heardOnce.removeAll { $0.start < time - 0.05 }
    }
}
