import Foundation
import Hummingbird
import SiaranArchive

/// Transcript correction from the session page: an officer (the `tagger` role, with the CSRF token)
/// edits, splits or merges a line or fixes its speaker. Each correction is appended to the session's
/// `corrections.jsonl` (the caption files keep the machine's text) and the catalog re-indexes the
/// session at the next search, where the corrected line counts as a human caption.
struct CorrectionRoutes {
    let archive: Archive
    let gate: Gate
    let search: SearchService

    struct NewCorrection: Decodable {
        var action: String
        /// The caption file of the line (`asr.vtt`) and its start in seconds, as the transcript gave them.
        var file: String
        var at: Double
        var text: String?
        var caret: Int?
        var speaker: String?
    }

    func add(to router: Router<SiaranContext>) {
        router.post("/api/sessions/:id/transcript/corrections") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(NewCorrection.self)
            guard let action = TranscriptCorrection.Action(rawValue: wanted.action) else {
                throw APIError(.badRequest, key: "error.correction.action", ["value": wanted.action])
            }
            let correction = TranscriptCorrection(action: action, file: wanted.file, at: wanted.at, text: wanted.text, caret: wanted.caret,
                                                  speaker: wanted.speaker, author: TagRoutes.author(context))
            let lines: [CorrectedTranscript.Line]
            do { lines = try CorrectedTranscript.correct(correction, archive: archive, id: id) } catch let problem as CorrectedTranscript.Problem {
                let status: HTTPResponse.Status = problem.code == .noLine ? .notFound : .unprocessableContent
                throw APIError(status, key: Self.key(problem.code), ["at": MediaRoutes.format(wanted.at), "limit": String(CorrectedTranscript.longestText)])
            } catch {
                throw APIError(.internalServerError, "the correction could not be saved: \(archive.withoutRoot("\(error)"))")
            }
            // Re-indexed before the answer: the next search finds the corrected words (an index that
            // cannot be brought up to date now catches up at the next search; the correction stands).
            try? await search.refreshNow()
            return try Reply.json(["lines": lines.map(TranscriptLine.init)], status: .created)
        }
    }

    /// The catalogue's message for a problem.
    static func key(_ code: CorrectedTranscript.Problem.Code) -> String {
        switch code {
        case .noLine: return "error.correction.noLine"
        case .emptyText: return "error.correction.emptyText"
        case .tooLong: return "error.correction.tooLong"
        case .badCaret: return "error.correction.badCaret"
        case .noNextLine: return "error.correction.noNextLine"
        }
    }
}
