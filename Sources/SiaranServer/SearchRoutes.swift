import Foundation
import Hummingbird
import SiaranArchive
import SiaranSearch

/// `GET /api/search`: the query syntax and filters of `siaran search`, the same result (hits at
/// their moments, session headers, corrections, expansions), as JSON.
struct SearchRoutes {
    let archive: Archive
    let search: SearchService
    let view: OfficeView
    let links: OfficeLinks
    let gate: Gate
    let zone: TimeZone

    func add(to router: Router<SiaranContext>) {
        addOffices(to: router)
        router.get("/api/search") { request, context in
            try gate.require(.viewer, context)
            let query = request.form
            guard let text = SessionFilter.nonEmpty(query["q"]) else {
                throw APIError(.badRequest, key: "error.noQuery")
            }
            do { _ = try SearchQuery(text) } catch let error as SearchQuery.ParseError {
                throw APIError(.badRequest, key: "error.badQuery", ["reason": error.message])
            }
            let limit = try Self.number(query["limit"], "limit", default: 50, range: 1...500)
            let perSession = try Self.number(query["perSession"], "perSession", default: 5, range: 0...500)
            var filters = SearchFilters(speaker: SessionFilter.nonEmpty(query["speaker"]), topic: SessionFilter.nonEmpty(query["topic"]),
                                        agenda: SessionFilter.nonEmpty(query["agenda"]),
                                        since: try SessionFilter.day(query["since"], "since", zone: zone),
                                        until: try SessionFilter.day(query["until"], "until", zone: zone, end: true))
            filters.office = SessionFilter.nonEmpty(query["office"])
            if let session = SessionFilter.nonEmpty(query["session"]) {
                filters.session = try SessionRoutes.session(session, in: archive)
                // This archive's session: another office's session of the same id is not it.
                filters.office = filters.office ?? view.serverOffice
            }
            do {
                let result = try await search.search(text, filters: filters, limit: limit, perSession: perSession, viewer: view.viewer(context))
                let viewer = (context.visitor.name ?? "anonymous") + "@" + (context.visitor.office ?? view.serverOffice ?? "")
                return try Reply.json(await links.decorate(result, viewer: viewer))
            } catch let unknown as UnknownFilterValue {
                throw APIError(.unprocessableContent, String(describing: unknown))
            }
        }
    }

    /// `GET /api/offices`: the offices whose sessions the visitor may find (the search page's office
    /// filter), this server's own named; none without a shared catalog.
    func addOffices(to router: Router<SiaranContext>) {
        router.get("/api/offices") { _, context in
            try gate.require(.viewer, context)
            let offices = view.serverOffice == nil ? [] : try await search.offices(viewer: view.viewer(context))
            return try Reply.json(OfficeList(own: view.serverOffice, offices: offices))
        }
    }

    struct OfficeList: Encodable {
        var own: String?
        var offices: [VisibleOffice]
    }

    static func number(_ value: Substring?, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw APIError(.badRequest, key: "error.number", ["name": name, "low": String(range.lowerBound), "high": String(range.upperBound), "value": String(value)])
        }
        return number
    }
}
