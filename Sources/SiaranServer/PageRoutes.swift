import Foundation
import Hummingbird
import Mustache
import SiaranAccounts
import SiaranArchive

/// The HTML pages: archive, session, search, live console and sign-in. A visitor who may not see a
/// page is sent to the sign-in page, and back afterwards.
struct PageRoutes {
    let archive: Archive
    let gate: Gate
    let library: MustacheLibrary

    init(archive: Archive, gate: Gate) {
        self.archive = archive
        self.gate = gate
        var library = MustacheLibrary()
        for (name, text) in PageTemplates.all {
            // The templates are part of the program: a broken one is a build mistake that the tests catch.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    struct Page {
        var title: String
        var page: String
        var script: String?
        var session: String = ""
        var name: String?
        var role: String = ""
        var csrf: String = ""
        var failed: String?
        var next: String = "/"
        var heading: String = ""
        var message: String = ""
    }

    func add(to router: Router<SiaranContext>) {
        router.get("/") { request, context in
            try page(request, context, needs: .viewer, Page(title: "Archive", page: "archive", script: "archive"), template: "archive")
        }
        router.get("/search") { request, context in
            try page(request, context, needs: .viewer, Page(title: "Search", page: "search", script: "search"), template: "search")
        }
        router.get("/schedule") { request, context in
            try page(request, context, needs: .viewer, Page(title: "Schedule", page: "schedule", script: "schedule"), template: "schedule")
        }
        router.get("/sessions/:id") { request, context in
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let title = (try? archive.loadManifest(id).title) ?? id
            return try page(request, context, needs: .viewer, Page(title: title, page: "session", script: "session", session: id), template: "session")
        }
        router.get("/sessions/:id/live") { request, context in
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let title = (try? archive.loadManifest(id).title) ?? id
            return try page(request, context, needs: .tagger, Page(title: "Live: " + title, page: "live", script: "live", session: id), template: "live")
        }
        router.get("/login") { request, context in
            let query = request.form
            var login = Page(title: "Sign in", page: "login")
            login.failed = query["failed"].map(String.init)
            login.next = AuthRoutes.safeNext(query["next"].map(String.init))
            return render("login", login, context)
        }
    }

    private func page(_ request: Request, _ context: SiaranContext, needs role: Role, _ page: Page, template: String) throws -> Response {
        do {
            try gate.require(role, context)
        } catch let error as APIError where error.status == .unauthorized {
            let next = (request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return Reply.redirect(to: "/login?next=\(next)")
        } catch let error as APIError {
            var problem = Page(title: "Not allowed", page: "problem")
            problem.heading = "Not allowed"
            problem.message = error.message
            return render("problem", problem, context, status: error.status)
        }
        return render(template, page, context)
    }

    private func render(_ template: String, _ page: Page, _ context: SiaranContext, status: HTTPResponse.Status = .ok) -> Response {
        var page = page
        page.name = context.visitor.name
        page.role = context.visitor.role?.rawValue ?? ""
        page.csrf = context.visitor.csrfToken ?? ""
        return Reply.html(library.render(page, withTemplate: template) ?? "", status: status)
    }
}
