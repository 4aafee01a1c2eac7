import Foundation
import Hummingbird
import SiaranAccounts

/// Choosing the language of the pages: `POST /language` (the pages' switch, a form) and
/// `PUT /api/me/language` (`{"language": "en"}`). A signed-in user's choice is kept with their
/// account (every device follows it); a visitor's in a cookie of this browser.
struct LanguageRoutes {
    let users: UserFile
    let gate: Gate
    let secureCookies: Bool

    struct Choice: Decodable {
        var language: String
        var csrf: String?
        var next: String?
    }

    func add(to router: Router<SiaranContext>) {
        router.post("/language") { request, context in
            let choice = try await request.decodeBody(Choice.self)
            var response = Reply.redirect(to: AuthRoutes.safeNext(choice.next))
            try choose(choice, request, context, response: &response)
            return response
        }
        router.put("/api/me/language") { request, context in
            let choice = try await request.decodeBody(Choice.self)
            var response = try Reply.json(["language": choice.language])
            try choose(choice, request, context, response: &response)
            return response
        }
    }

    private func choose(_ choice: Choice, _ request: Request, _ context: SiaranContext, response: inout Response) throws {
        guard let language = Language(rawValue: choice.language) else { throw APIError(.badRequest, key: "error.language") }
        if let name = context.visitor.name {
            // Writing to the users file: the signed-in visitor's own token, as for every write.
            try gate.requireWrite(.viewer, request, context, formToken: choice.csrf)
            do { try users.setLanguage(name: name, language: language.rawValue) } catch {
                throw APIError(.internalServerError, "the language could not be saved: \(error)")
            }
        }
        response.setCookie(Cookie(name: languageCookieName, value: language.rawValue, maxAge: 400 * 86400, path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .lax))
    }
}
