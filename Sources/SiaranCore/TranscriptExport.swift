import Foundation

/// A session's transcript as the files an officer hands on: plain text (`[00:12:34] Name: words`),
/// SubRip (`.srt`, numbered, `00:12:34,500`) and WebVTT (voice tags `<v Name>`), each cue with
/// who spoke it (its own voice tag, else the speaker tagged at that moment).
public enum TranscriptExport {
    public enum Format: String, Sendable, CaseIterable {
        case txt, srt, vtt

        public var contentType: String {
            switch self {
            case .txt: return "text/plain; charset=utf-8"
            case .srt: return "application/x-subrip; charset=utf-8"
            case .vtt: return "text/vtt; charset=utf-8"
            }
        }
    }

    public static func render(_ cues: [Cue], format: Format) -> String {
        switch format {
        case .vtt:
            return WebVTT.render(cues.map { Cue(start: $0.start, end: $0.end, text: oneLine($0.text), voice: $0.voice) })
        case .srt:
            var out = ""
            for (number, cue) in cues.enumerated() {
                out += "\(number + 1)\n\(srtTime(cue.start)) --> \(srtTime(max(cue.end, cue.start)))\n"
                out += (cue.voice.map { oneLine($0) + ": " } ?? "") + oneLine(cue.text) + "\n\n"
            }
            return out
        case .txt:
            return cues.map { "[\(ClockFormat.string($0.start))] " + ($0.voice.map { oneLine($0) + ": " } ?? "") + oneLine($0.text) }
                .joined(separator: "\n") + (cues.isEmpty ? "" : "\n")
        }
    }

    /// `HH:MM:SS,mmm`, SubRip's form.
    static func srtTime(_ seconds: Double) -> String {
        let millis = Int((seconds.isFinite ? max(0, seconds) : 0) * 1000)
        return Decimals.padded(millis / 3_600_000, width: 2) + ":" + Decimals.padded(millis / 60_000 % 60, width: 2) + ":"
            + Decimals.padded(millis / 1000 % 60, width: 2) + "," + Decimals.padded(millis % 1000, width: 3)
    }

    /// A cue's text on one line: a line break in the text would end an SRT or WebVTT cue early.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
