import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SiaranArchive
import SiaranCore
import SiaranSearch

/// Saved searches and alerts: `GET/POST /api/alerts`, `DELETE /api/alerts/{id}`, `POST
/// /api/alerts/{id}/feed` (a new feed link), `GET /api/alerts/updates` (new alerts as they are
/// raised, event `alert`, for an open page of the user that has no live-updates stream of its own:
/// the others carry them, `AlertWatch`) and `GET /alerts/feed/{token}.atom`.
/// Alerts are the user's own: every route needs a signed-in account (even with `--public`), and a
/// user sees and changes only their own; saving is a read of the archive, so a viewer may.
struct AlertRoutes {
    let alerts: AlertService
    let gate: Gate
    let checks: SignInCheck
    let open: StreamCounter
    let live: LiveUpdates
    let secure: Bool

    struct NewSearch: Decodable {
        var q: String
        var speaker: String?, topic: String?, agenda: String?, office: String?, since: String?, until: String?
    }

    /// A saved search as the user sees it: not its token's hash nor its high-water mark.
    struct SearchView: Encodable {
        var id: String, query: String, filters: [String: String], createdAt: Date
        init(_ saved: SavedSearch) { (id, query, filters, createdAt) = (saved.id, saved.query, saved.filters, saved.createdAt) }
    }

    struct SavedView: Encodable {
        var search: SearchView
        /// The feed's path, with its token: only in the answer that made the token.
        var feed: String?
    }

    struct BookView: Encodable {
        var searches: [SearchView]
        var alerts: [Alert]
    }

    func add(to router: Router<SiaranContext>) {
        router.get("/api/alerts") { _, context in
            let user = try account(context)
            let book = try await alerts.book(of: user)
            return try Reply.json(BookView(searches: book.searches.map(SearchView.init),
                                           alerts: book.alerts.reversed()))
        }
        router.post("/api/alerts") { request, context in
            try gate.requireWrite(.viewer, request, context)
            let user = try account(context)
            let new = try await request.decodeBody(NewSearch.self, limit: 16 * 1024)
            let query = new.q.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { throw APIError(.badRequest, key: "error.noQuery") }
            guard query.count <= 500 else { throw APIError(.badRequest, key: "error.alerts.tooLong", ["n": "500"]) }
            do { _ = try SearchQuery(query) } catch let error as SearchQuery.ParseError {
                throw APIError(.badRequest, key: "error.badQuery", ["reason": error.message])
            }
            var filters: [String: String] = [:]
            for (name, value) in [("speaker", new.speaker), ("topic", new.topic), ("agenda", new.agenda), ("office", new.office),
                                  ("since", new.since), ("until", new.until)] {
                guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { continue }
                guard value.count <= 200 else { throw APIError(.badRequest, key: "error.alerts.tooLong", ["n": "200"]) }
                filters[name] = value
            }
            _ = try AlertService.filters(filters, zone: alerts.zone)
            do {
                let (saved, token) = try await alerts.save(user: user, office: context.visitor.office, query: query, filters: filters)
                return try Reply.json(SavedView(search: SearchView(saved), feed: "/alerts/feed/\(token).atom"), status: .created)
            } catch let unknown as UnknownFilterValue {
                throw APIError(.unprocessableContent, String(describing: unknown))
            }
        }
        router.delete("/api/alerts/:id") { request, context in
            try gate.requireWrite(.viewer, request, context)
            let user = try account(context)
            let id = context.parameters.get("id") ?? ""
            guard try await alerts.delete(user: user, id: id) else { throw APIError(.notFound, key: "error.alerts.unknown", ["id": id]) }
            return try Reply.json(["deleted": id])
        }
        router.post("/api/alerts/:id/feed") { request, context in
            try gate.requireWrite(.viewer, request, context)
            let user = try account(context)
            let id = context.parameters.get("id") ?? ""
            guard let token = try await alerts.renewFeed(user: user, id: id) else { throw APIError(.notFound, key: "error.alerts.unknown", ["id": id]) }
            return try Reply.json(["feed": "/alerts/feed/\(token).atom"])
        }
        router.get("/api/alerts/updates") { request, context in
            let user = try account(context)
            let limit = try SearchRoutes.number(request.form["limit"], "limit", default: .max, range: 1...Int.max)
            let watch = AlertWatch(books: AlertBooks(archive: alerts.archive), user: user, since: AlertWatch.since(request.form["since"]))
            return try live.stream(limit: limit, context) { (last: AlertStreamState?) in try watch.poll(last) }
        }
        router.get("/alerts/feed/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom"), let (saved, raised) = await alerts.feed(token: String(file.dropLast(5))) else {
                throw APIError(.notFound, key: "error.alerts.noFeed")
            }
            let host = request.head.authority ?? "localhost"
            let feed = AtomFeed(base: (secure ? "https://" : "http://") + host, search: saved, alerts: raised)
            return Response(status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: feed.xml)))
        }
    }

    /// The signed-in user's name: alerts belong to an account, so even `--public` needs one.
    private func account(_ context: SiaranContext) throws -> String {
        try gate.requireAccount(.viewer, context)
        guard let name = context.visitor.name else { throw APIError.notSignedIn() }
        return name
    }
}

struct AlertStreamState: Sendable {
    var stamp: String?
    var known: Set<String>
}

/// The signed-in user's alerts raised while a page is open, as events `alert`: the stream of
/// `/api/alerts/updates`, or carried by a page's own live-updates stream (`?alerts=OPENED`, LiveUpdates)
/// so that every page holds one stream against the visitor's limit.
struct AlertWatch: Sendable {
    let books: AlertBooks
    let user: String
    /// The page's opening: alerts raised since are sent even when the stream (re)connects later.
    let since: Date?

    /// The page's opening from ms since 1970 (nil when absent or not a number).
    static func since(_ text: Substring?) -> Date? {
        guard let milliseconds = text.flatMap({ Double($0) }), milliseconds.isFinite else { return nil }
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }

    /// What the book holds now, and the alerts not seen by the last look.
    func poll(_ last: AlertStreamState?) throws -> (AlertStreamState?, [(String, Data)]) {
        let stamp = books.stamp(of: user)
        if let last, last.stamp == stamp { return (last, []) }
        let book = (try? books.load(user)) ?? AlertBook()
        let ids = Set(book.alerts.map(\.id))
        // The first look notes what is there: a page is told of alerts raised while it is open.
        guard let last else {
            let earlier = AlertStreamState(stamp: nil, known: Set(book.alerts.filter { $0.raisedAt <= since ?? .distantFuture }.map(\.id)))
            return since == nil ? (AlertStreamState(stamp: stamp, known: ids), []) : (earlier, [])
        }
        let new = book.alerts.filter { !last.known.contains($0.id) }
        return (AlertStreamState(stamp: stamp, known: ids), try new.map { ("alert", try JSONCoding.encoder(pretty: false).encode($0)) })
    }
}
