import Foundation
import Hummingbird
import Mustache
import SiaranAccounts
import SiaranArchive

/// The HTML pages: archive, session, search, schedule, live console and sign-in, in the visitor's
/// language (`Web/templates`, texts from the message catalogue). A visitor who may not see a page is
/// sent to the sign-in page, and back afterwards; a session that does not exist is a page that says so.
struct PageRoutes {
    let archive: Archive
    let gate: Gate
    let users: UserFile
    let zone: TimeZone
    /// Whose view a visitor has (the national catalog's link is for the server's own admins).
    let view: OfficeView
    let library: MustacheLibrary

    init(archive: Archive, gate: Gate, users: UserFile, zone: TimeZone, view: OfficeView) {
        self.archive = archive
        self.gate = gate
        self.users = users
        self.zone = zone
        self.view = view
        var library = MustacheLibrary()
        for (name, text) in WebAssets.templates {
            // The templates are part of the program: a broken one is a build mistake that the tests catch.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    static let scripts: [String: String] = WebAssets.served.values.filter { $0.name.hasSuffix(".js") && !$0.name.hasPrefix("messages-") }
        .reduce(into: [:]) { $0[String($1.name.dropLast(3))] = $1.url }

    /// What one page shows; `script` names its script under /assets/ (without `.js`).
    struct Page {
        var title: String
        var name: String
        var script: String?
        var session = ""
        var values: [String: Any] = [:]
    }

    func add(to router: Router<SiaranContext>) {
        router.get("/") { request, context in
            try page(request, context, needs: .viewer, Page(title: text("page.archive", context), name: "archive", script: "archive"))
        }
        router.get("/search") { request, context in
            try page(request, context, needs: .viewer, Page(title: text("page.search", context), name: "search", script: "search"))
        }
        router.get("/alerts") { request, context in
            try page(request, context, needs: .viewer, Page(title: text("page.alerts", context), name: "alerts", script: "alerts"))
        }
        router.get("/schedule") { request, context in
            try page(request, context, needs: .viewer, Page(title: text("page.schedule", context), name: "schedule", script: "schedule"))
        }
        router.get("/sessions/:id") { request, context in
            try sessionPage(request, context, needs: .viewer) { id, title in
                Page(title: title, name: "session", script: "session", session: id)
            }
        }
        router.get("/sessions/:id/live") { request, context in
            try sessionPage(request, context, needs: .tagger) { id, title in
                Page(title: text("page.live", context, ["title": title]), name: "live", script: "live", session: id)
            }
        }
        router.get("/agenda") { request, context in
            try page(request, context, needs: .tagger, Page(title: text("page.agenda", context), name: "agenda", script: "agenda"))
        }
        router.get("/sessions/:id/agenda") { request, context in
            try sessionPage(request, context, needs: .tagger) { id, title in
                Page(title: text("page.agendaOf", context, ["title": title]), name: "agenda", script: "agenda", session: id)
            }
        }
        router.get("/trash") { request, context in
            try page(request, context, needs: .admin, Page(title: text("page.trash", context), name: "trash", script: "trash"))
        }
        router.get("/catalog") { request, context in
            try page(request, context, needs: .admin, Page(title: text("page.catalog", context), name: "catalog", script: "catalog"))
        }
        router.get("/retensi") { request, context in
            try page(request, context, needs: .admin, Page(title: text("page.retention", context), name: "retention", script: "retention"))
        }
        router.get("/settings") { request, context in
            try page(request, context, needs: .admin, Page(title: text("page.settings", context), name: "settings", script: "settings"))
        }
        router.get("/login") { request, context in
            let query = request.form
            var login = Page(title: text("page.signIn", context), name: "login")
            login.values["failed"] = query["failed"].map(String.init)
            login.values["next"] = AuthRoutes.safeNext(query["next"].map(String.init))
            login.values["noUsers"] = (try? users.load().isEmpty) ?? false
            return render(login, request, context)
        }
    }

    private func text(_ key: String, _ context: SiaranContext, _ arguments: [String: String] = [:]) -> String {
        Messages.text(key, context.visitor.language, arguments)
    }

    private func sessionPage(_ request: Request, _ context: SiaranContext, needs role: Role,
                             _ make: (_ id: String, _ title: String) -> Page) throws -> Response {
        // Who may not view is sent to sign in before anything about the session is said (whether it exists).
        if let refusal = refusal(request, context, needs: .viewer) { return refusal }
        do {
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let title = (try? archive.loadManifest(id).title) ?? id
            return try page(request, context, needs: role, make(id, title))
        } catch let error as APIError where error.status == .notFound {
            return problem(text("problem.notFound", context), error, request, context)
        }
    }

    private func page(_ request: Request, _ context: SiaranContext, needs role: Role, _ page: Page) throws -> Response {
        if let refusal = refusal(request, context, needs: role) { return refusal }
        return render(page, request, context)
    }

    /// The answer to a visitor who may not see a page needing `role`, or nil when they may.
    private func refusal(_ request: Request, _ context: SiaranContext, needs role: Role) -> Response? {
        do {
            try gate.require(role, context)
            return nil
        } catch let error as APIError where error.status == .unauthorized {
            let next = Self.here(request).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return Reply.redirect(to: "/login?next=\(next)")
        } catch let error as APIError {
            return problem(text("problem.notAllowed", context), error, request, context)
        } catch {
            return problem(text("problem.notAllowed", context), APIError(.forbidden, key: "error.notSignedIn"), request, context)
        }
    }

    private func problem(_ heading: String, _ error: APIError, _ request: Request, _ context: SiaranContext) -> Response {
        var problem = Page(title: heading, name: "problem")
        problem.values["heading"] = heading
        problem.values["message"] = error.text(in: context.visitor.language)
        return render(problem, request, context, status: error.status)
    }

    static func here(_ request: Request) -> String {
        request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    }

    private func render(_ page: Page, _ request: Request, _ context: SiaranContext, status: HTTPResponse.Status = .ok) -> Response {
        let language = context.visitor.language
        var values = page.values
        values["title"] = page.title
        values["page"] = page.name
        values["session"] = page.session
        values["lang"] = language.rawValue
        values["zone"] = zone.identifier
        values["name"] = context.visitor.name
        values["role"] = context.visitor.role?.rawValue ?? ""
        values["admin"] = context.visitor.role == .admin
        // The national catalog's page (/catalog) answers the server's own admins when it has a shared catalog.
        values["catalogAdmin"] = context.visitor.role == .admin && view.serverOffice != nil && view.viewer(context) == nil
        values["roleName"] = context.visitor.role.map { Messages.text("role." + $0.rawValue, language) } ?? ""
        values["csrf"] = context.visitor.csrfToken ?? ""
        values["here"] = AuthRoutes.safeNext(Self.here(request))
        values["t"] = Messages.nested(language)
        var assets: [String: Any] = ["css": WebAssets.url("siaran.css"), "common": WebAssets.url("common.js"),
                                     "messages": WebAssets.url("messages-\(language.rawValue).js")]
        if let script = page.script { assets["page"] = WebAssets.url(script + ".js") }
        // Every script by name (`{{assets.js.exports}}`), for a page that loads more than its own (`defer`).
        assets["js"] = Self.scripts
        // Scripts a page template adds with `defer` (they run after the page's own).
        assets["transcriptEdit"] = WebAssets.url("transcript-edit.js")
        assets["momentActions"] = WebAssets.url("moment-actions.js")
        assets["sessionHistory"] = WebAssets.url("session-history.js")
        values["assets"] = assets
        var response = Reply.html(library.render(values, withTemplate: page.name) ?? "", status: status)
        response.headers[.contentLanguage] = language.rawValue
        return response
    }
}
