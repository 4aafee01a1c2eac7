import Foundation
import Hummingbird
import SiaranAccounts
import SiaranArchive

/// The office's voice setting and library (issue #31), for admins on the settings page: voice
/// recognition on or off (off until an admin turns it on: a voiceprint is biometric personal data
/// under UU 27/2022), and everyone enrolled, each deleted at once with their vectors. Names only
/// ever leave `VoiceLibrary`: the vectors stay in `<archive>/.voices/` on this machine. Each change
/// is recorded with its author in the library's append-only history, by the admin role with the CSRF token.
struct VoiceSettingsRoutes {
    let archive: Archive
    let gate: Gate

    /// What the settings page shows.
    struct View: Encodable {
        var enabled: Bool
        var changedBy: String?
        var changedAt: Date?
        var people: [VoiceLibrary.Summary]
    }

    struct Change: Decodable {
        var enabled: Bool
    }

    func add(to router: Router<SiaranContext>) {
        router.get("/api/voices") { _, context in
            try gate.requireAccount(.admin, context)
            return try Reply.json(try view())
        }
        router.put("/api/voices") { request, context in
            try gate.requireWrite(.admin, request, context)
            let change = try await request.decodeBody(Change.self)
            do { try VoiceLibrary(archive: archive).setEnabled(change.enabled, by: TagRoutes.author(context)) } catch {
                throw APIError(.internalServerError, key: "error.voice.settings", ["reason": archive.withoutRoot("\(error)")])
            }
            return try Reply.json(try view())
        }
        router.delete("/api/voices/people/:name") { request, context in
            try gate.requireWrite(.admin, request, context)
            // A path parameter comes as sent: "Rina%20Kartika%20Sari".
            let raw = context.parameters.get("name") ?? ""
            let name = raw.removingPercentEncoding ?? raw
            do { try VoiceLibrary(archive: archive).delete(name, by: TagRoutes.author(context)) } catch VoiceLibrary.Problem.notEnrolled {
                throw APIError(.notFound, key: "error.voice.noPerson", ["name": String(name.prefix(100))])
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError(.internalServerError, key: "error.voice.settings", ["reason": archive.withoutRoot("\(error)")])
            }
            return try Reply.json(try view())
        }
    }

    private func view() throws -> View {
        let library = VoiceLibrary(archive: archive)
        let settings = library.settings()
        let people: [VoiceLibrary.Summary]
        do { people = try library.people() } catch {
            throw APIError(.internalServerError, key: "error.voice.library", ["reason": archive.withoutRoot("\(error)")])
        }
        return View(enabled: settings.enabled, changedBy: settings.changedBy, changedAt: settings.changedAt, people: people)
    }
}
