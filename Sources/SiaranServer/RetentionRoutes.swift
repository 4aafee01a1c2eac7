import Foundation
import Hummingbird
import Logging
import SiaranArchive
import SiaranSearch

/// Retention on the web (admins): the policy, the preview of what the next run deletes (the list
/// `siaran retention --dry-run` prints), setting the policy (`/retensi`), and pins from a session's
/// page. Writes need `admin` and the CSRF token; a pin is an event with its author in the session's
/// log, a policy change a line in the archive's retention log. The server applies the policy daily.
struct RetentionRoutes {
    let archive: Archive
    let gate: Gate

    /// `PUT /api/retention`: the policy's three numbers (null: no age limit / no budget).
    struct NewPolicy: Decodable {
        var keepDays: Int?
        var budgetBytes: Int64?
        var keepNewest: Int?
    }

    struct Pinning: Codable { var pinned: Bool }

    /// `GET /api/retention`: the policy and what its next run deletes.
    struct View: Encodable {
        var policy: RetentionPolicy
        var plan: RetentionPlan
        /// Hours between the server's runs.
        var everyHours: Int
    }

    func add(to router: Router<SiaranContext>) {
        // With ?keepDays=&budgetBytes=&keepNewest= (any of them): what that policy would delete, unsaved.
        router.get("/api/retention") { request, context in
            try gate.requireAccount(.admin, context)
            let form = request.form
            guard ["keepDays", "budgetBytes", "keepNewest"].contains(where: { form[$0] != nil }) else { return try Reply.json(try view()) }
            func number<T: FixedWidthInteger>(_ name: String, _ key: String) throws -> T? {
                guard let text = form[name], !text.isEmpty else { return nil }
                guard let value = T(text) else { throw APIError(.unprocessableContent, key: key) }
                return value
            }
            let policy = try Self.checked(NewPolicy(keepDays: try number("keepDays", "error.retention.keep"), budgetBytes: try number("budgetBytes", "error.retention.budget"),
                                                    keepNewest: try number("keepNewest", "error.retention.keepNewest")), by: nil)
            return try Reply.json(View(policy: policy, plan: RetentionPlan.make(archive, policy: policy), everyHours: 24))
        }
        router.put("/api/retention") { request, context in
            try gate.requireWrite(.admin, request, context)
            let policy = try Self.checked(try await request.decodeBody(NewPolicy.self), by: TagRoutes.author(context))
            try policy.save(in: archive)
            return try Reply.json(try view())
        }
        router.get("/api/sessions/:id/pin") { _, context in
            try gate.require(.viewer, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            guard context.visibleSessions?.contains(id) != false else { throw APIError(.notFound, key: "error.noSession", ["id": id]) }
            return try Reply.json(Pinning(pinned: SessionManager(archive: archive).isPinned(id)))
        }
        router.put("/api/sessions/:id/pin") { request, context in
            try gate.requireWrite(.admin, request, context)
            let id = try SessionRoutes.session(context.parameters.get("id") ?? "", in: archive)
            let wanted = try await request.decodeBody(Pinning.self)
            try SessionManager(archive: archive).pin(id, wanted.pinned, by: TagRoutes.author(context))
            return try Reply.json(Pinning(pinned: SessionManager(archive: archive).isPinned(id)))
        }
    }

    /// The policy asked for, refused (422, saying which number) when a number is out of range.
    static func checked(_ wanted: NewPolicy, by author: String?) throws -> RetentionPolicy {
        let policy = RetentionPolicy(keepDays: wanted.keepDays, budgetBytes: wanted.budgetBytes,
                                     keepNewest: wanted.keepNewest ?? RetentionPolicy.defaultKeepNewest, setBy: author, setAt: author == nil ? nil : Date())
        do { try policy.validate() } catch {
            switch error {
            case .badKeep: throw APIError(.unprocessableContent, key: "error.retention.keep")
            case .badBudget: throw APIError(.unprocessableContent, key: "error.retention.budget")
            default: throw APIError(.unprocessableContent, key: "error.retention.keepNewest")
            }
        }
        return policy
    }

    func view() throws -> View {
        let policy: RetentionPolicy
        do { policy = try RetentionPolicy.load(archive) } catch {
            throw APIError(.internalServerError, key: "error.retention.unreadable")
        }
        return View(policy: policy, plan: RetentionPlan.make(archive, policy: policy), everyHours: 24)
    }

    /// The server's run: at start (finishing an interrupted run), then daily. `engines`: the archive's
    /// own catalog, then a shared one.
    static func daily(archive: Archive, logger: Logger, engines: [any SearchIndexEngine]) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do {
                    let policy = try RetentionPolicy.load(archive)
                    if policy.isActive || !RetentionStaging(archive: archive).staged().isEmpty {
                        let run = RetentionRun(archive: archive, engines: engines, logger: logger)
                        let outcome = await run.apply(policy: policy, by: "siaran-serve")
                        if !outcome.removed.isEmpty {
                            logger.notice("retention deleted \(outcome.removed.count) session(s), \(outcome.freedBytes) bytes: \(outcome.removed.joined(separator: ", "))")
                        }
                        for (id, why) in outcome.waiting { logger.warning("retention: \(id) left the archive but its files wait: \(why)") }
                        if let s = outcome.plan.shortfall {
                            logger.warning("retention: the sessions that must be kept take \(s.keptBytes) bytes, more than the budget of \(s.budgetBytes); the budget deleted nothing")
                        }
                    }
                } catch {
                    logger.warning("retention did not run: \(error)")
                }
                try? await Task.sleep(for: .seconds(86_400))
            }
        }
    }
}
