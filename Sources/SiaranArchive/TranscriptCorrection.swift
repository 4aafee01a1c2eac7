import Foundation
import SiaranCore

/// One officer's correction of a transcript line, as `sessions/<id>/corrections.jsonl` keeps it: the
/// caption files (the machine's text) are never changed; the corrected transcript is those files with
/// every correction applied in order (see `CorrectedTranscript`).
public struct TranscriptCorrection: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable, CaseIterable {
        /// The line says `text` instead.
        case edit
        /// The line becomes two at `caret` (UTF-16 offset into its text, as a browser's caret counts).
        case split
        /// The line and the next line of its file become one.
        case merge
        /// The line is spoken by `speaker` (empty: nobody named).
        case speaker
    }

    /// Unique id ("c" + time + random).
    public var id: String
    public var action: Action
    /// The caption file the line is in (`asr.vtt`).
    public var file: String
    /// The line's start on the session clock, in seconds, as the corrected transcript had it then.
    public var at: Double
    public var text: String?
    public var caret: Int?
    public var speaker: String?
    /// The line's text before this correction, for the history.
    public var before: String?
    /// When the correction was written and by whom (`web:NAME`).
    public var recordedAt: Date
    public var author: String?

    public init(id: String = "c" + SessionEvent.newID().dropFirst(), action: Action, file: String, at: Double, text: String? = nil,
                caret: Int? = nil, speaker: String? = nil, before: String? = nil, recordedAt: Date = Date(), author: String? = nil) {
        self.id = id
        self.action = action
        self.file = file
        self.at = at
        self.text = text
        self.caret = caret
        self.speaker = speaker
        self.before = before
        self.recordedAt = recordedAt
        self.author = author
    }
}

/// `sessions/<id>/corrections.jsonl`: appended whole, under the same lock and fsync as the event log.
public struct CorrectionLog: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Appends `correction` durably.
    public func append(_ correction: TranscriptCorrection) throws(ArchiveError) {
        let line: Data
        do { line = try JSONCoding.encoder(pretty: false).encode(correction) } catch {
            throw .cannotEncode(path: path, reason: "cannot encode the correction: \(error)")
        }
        try EventLog.appendLine(line, to: path)
    }

    /// Every readable correction in order (an unreadable line is skipped: the rest still apply).
    public func read() -> [TranscriptCorrection] {
        guard let data = try? PlainFile.read(path) else { return [] }
        let decoder = JSONCoding.decoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(TranscriptCorrection.self, from: Data($0)) }
    }
}

extension Archive {
    /// The session's transcript corrections (append-only).
    public func correctionsPath(of id: String) -> String { directory(of: id) + "/corrections.jsonl" }
    /// The corrected lines as WebVTT, derived from the corrections (rewritten after each): what the
    /// catalogs index and read snippets from in place of the lines they replace.
    public func correctedCaptionsPath(of id: String) -> String { directory(of: id) + "/corrected.vtt" }
}
