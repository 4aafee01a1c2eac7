import Foundation
import Hummingbird
import SiaranArchive

/// The officer's answer to a speaker turn suggested from the voices (issue #31), from the session page
/// and the live console: confirm it (a normal `speaker` tag at the suggestion's start whose `target` is
/// the suggestion: the suggested person, or another name typed) or dismiss it (a `delete` of it). Both
/// go to the session's `events.jsonl` as tags do (appended under its lock, fsynced), by the `tagger`
/// role with the CSRF token, and re-indexed before the answer (the next search finds the confirmed
/// speaker, as after a transcript correction).
struct VoiceRoutes {
    let archive: Archive
    let gate: Gate
    let zone: TimeZone
    let search: SearchService

    struct Answer: Decodable {
        /// `confirm` or `dismiss`.
        var action: String
        /// For `confirm`: the person, when not the suggested one (or the voice has no name yet).
        var value: String?
    }

    struct Answered: Encodable {
        var event: SessionEvent
        /// As a tag's: a name not on the roster is tagged as typed.
        var warnings: [String]
        /// The session as it stands now (its timeline without the suggestion), as `GET /api/sessions/{id}`.
        var session: SessionDetailView
    }

    func add(to router: Router<SiaranContext>) {
        router.post("/api/sessions/:id/voices/:suggestion") { request, context in
            try gate.requireWrite(.tagger, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let target = context.parameters.get("suggestion") ?? ""
            let answer = try await request.decodeBody(Answer.self)
            guard ["confirm", "dismiss"].contains(answer.action) else {
                throw APIError(.badRequest, key: "error.voice.action", ["value": answer.action])
            }
            let tagger = Tagger(archive: archive), author = TagRoutes.author(context)
            let written: (event: SessionEvent, warnings: [String])
            do {
                guard let suggestion = try tagger.timeline(of: id).suggestion(target) else { throw VoiceSuggestionError.noSuchSuggestion(target) }
                if answer.action == "confirm" {
                    // "Ya": the suggested person; "Orang lain" (or an unnamed voice): the name typed.
                    let typed = answer.value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                    let person = typed.isEmpty ? suggestion.value : typed
                    guard !person.isEmpty else { throw APIError(.unprocessableContent, key: "error.voice.nameNeeded") }
                    written = try tagger.confirmSuggestion(session: id, suggestion: target, person: person, author: author)
                } else {
                    written = (try tagger.dismissSuggestion(session: id, suggestion: target, author: author), [])
                }
            } catch is VoiceSuggestionError {
                throw APIError(.notFound, key: "error.voice.noSuggestion", ["id": String(target.prefix(40))])
            } catch let error as TagError {
                throw APIError(error)
            }
            try? await search.refreshNow()
            let details = try SessionDetails(archive: archive, id: id)
            return try Reply.json(Answered(event: written.event, warnings: written.warnings, session: SessionDetailView(archive: archive, details: details, zone: zone, signedIn: true)), status: .created)
        }
    }
}
