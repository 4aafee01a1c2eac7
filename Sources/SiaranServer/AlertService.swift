import Crypto
import Foundation
import Logging
import SiaranAccounts
import SiaranArchive
import SiaranSearch

/// Saved searches and their alerts: one actor, so that every change to a user's book (a save, a
/// delete, a new alert) is read, changed and written whole. `watch()` runs every saved search again
/// whenever the archive changes (an import, new captions or transcript lines, live lines, tags: the
/// change marker the search index follows), as the office of its user sees the catalog.
actor AlertService {
    let archive: Archive
    let books: AlertBooks
    let search: SearchService
    let users: UserFile
    let serverOffice: String?
    let zone: TimeZone
    let logger: Logger

    init(archive: Archive, search: SearchService, users: UserFile, serverOffice: String?, zone: TimeZone, logger: Logger) {
        self.archive = archive
        books = AlertBooks(archive: archive)
        self.search = search
        self.users = users
        self.serverOffice = serverOffice
        self.zone = zone
        self.logger = logger
    }

    /// The filters a saved search may carry (the search page's).
    static let filterNames = ["speaker", "topic", "agenda", "office", "since", "until"]
    /// How many moments one run of a saved search looks at.
    static let hitLimit = 500

    func book(of user: String) throws -> AlertBook { try books.load(user) }

    /// Saves `query` with `filters` for `user`; what it finds already is its high-water mark (only
    /// later material alerts). Answers the saved search and its feed token (shown this once).
    func save(user: String, office: String?, query: String, filters: [String: String]) async throws -> (SavedSearch, String) {
        guard try books.load(user).searches.count < AlertBook.maxSearches else {
            throw APIError(.unprocessableContent, key: "error.alerts.tooMany", ["n": String(AlertBook.maxSearches)])
        }
        let token = Self.randomHex(32)
        var saved = SavedSearch(id: Self.randomHex(8), query: query, filters: filters, createdAt: Date(), feedTokenHash: Self.hash(token))
        try await search.refreshNow()
        let result = try await run(saved, viewer: viewer(office))
        saved.seen = AlertMatcher.alerts(for: saved, in: result, now: Date(), makeID: { "" }).keys
        // Read again after the searches (the actor ran other work meanwhile), changed and written with no wait between.
        var book = try books.load(user)
        guard book.searches.count < AlertBook.maxSearches else {
            throw APIError(.unprocessableContent, key: "error.alerts.tooMany", ["n": String(AlertBook.maxSearches)])
        }
        book.searches.append(saved)
        try books.save(book, of: user)
        return (saved, token)
    }

    /// Removes `user`'s saved search `id` and its alerts; false when there is none.
    func delete(user: String, id: String) throws -> Bool {
        var book = try books.load(user)
        guard book.searches.contains(where: { $0.id == id }) else { return false }
        book.searches.removeAll { $0.id == id }
        book.alerts.removeAll { $0.search == id }
        try books.save(book, of: user)
        return true
    }

    /// A new feed token for `user`'s search `id` (the old link stops working); nil when there is none.
    func renewFeed(user: String, id: String) throws -> String? {
        var book = try books.load(user)
        guard let index = book.searches.firstIndex(where: { $0.id == id }) else { return nil }
        let token = Self.randomHex(32)
        book.searches[index].feedTokenHash = Self.hash(token)
        try books.save(book, of: user)
        return token
    }

    /// The saved search whose feed token is `token`, and its alerts; nil for any other token.
    /// Every book's hashes are compared, each in constant time.
    func feed(token: String) -> (SavedSearch, [Alert])? {
        let hashed = Self.hash(token)
        var found: (SavedSearch, [Alert])?
        for user in books.users() {
            guard let book = try? books.load(user) else { continue }
            for saved in book.searches where Gate.constantTimeEqual(saved.feedTokenHash, hashed) {
                found = (saved, book.alerts.filter { $0.search == saved.id })
            }
        }
        return found
    }

    /// Runs every user's saved searches once; new moments become alerts. Answers how many were raised.
    @discardableResult
    func check() async -> Int {
        var raised = 0
        for user in books.users() {
            // A removed user's searches run no more (their book stays until an admin removes it).
            guard let account = try? users.account(named: user), let before = try? books.load(user) else { continue }
            var found: [(search: SavedSearch, alerts: [Alert], keys: [String])] = []
            for saved in before.searches {
                do {
                    let result = try await run(saved, viewer: viewer(account.office))
                    let new = AlertMatcher.alerts(for: saved, in: result, now: Date(), makeID: { Self.randomHex(8) })
                    if !new.alerts.isEmpty { found.append((saved, new.alerts, new.keys)) }
                } catch {
                    logger.warning("the saved search \(saved.id) of user \(user) could not run: \(error)")
                }
            }
            guard !found.isEmpty else { continue }
            // Read again after the searches (a save or delete may have run meanwhile), changed and written with no wait between;
            // a search deleted meanwhile raises nothing, one renewed keeps its new token.
            do {
                var book = try books.load(user)
                for (saved, alerts, keys) in found where book.searches.contains(where: { $0.id == saved.id }) {
                    let fresh = SeenMoments(book.searches.first { $0.id == saved.id }?.seen ?? [])
                    let unseen = alerts.filter { !fresh.contains(office: $0.office, session: $0.session, seconds: $0.seconds) }
                    book.add(unseen)
                    book.markSeen(keys, search: saved.id)
                    raised += unseen.count
                }
                try books.save(book, of: user)
            } catch { logger.error("the alerts of user \(user) could not be saved: \(error)") }
        }
        return raised
    }

    /// Checks the saved searches whenever the archive changes, until cancelled; with a shared catalog
    /// also every `SearchService.pushInterval` (other offices' sessions arrive without a change here),
    /// and every 2 s while a session records. Every `liveInterval` it reads the lines just appended to
    /// the sessions being recorded: one that may match a saved search (`LiveLineFilter`) has its
    /// session re-indexed and the searches run at once, so the alert follows the line within a second.
    func watch(every interval: Duration = .seconds(1), liveInterval: Duration = .milliseconds(250)) async {
        var looked = ArchiveLook()
        var follower = LiveLineFollower()
        var lastLook = ContinuousClock.now - interval
        while !Task.isCancelled {
            let recording = Tagger(archive: archive).recordingSessions()
            let fresh = follower.fresh(archive, recording: recording)
            if !fresh.isEmpty, let urgent = worthLooking(fresh) {
                looked.saw(archive.changeMarker())
                do {
                    try await search.refreshNow(urgent: urgent)
                    await check()
                } catch { logger.warning("alerts: the live sessions \(urgent.sorted()) could not be re-indexed: \(error)") }
            }
            if ContinuousClock.now - lastLook >= interval {
                lastLook = ContinuousClock.now
                let marker = archive.changeMarker()
                // A live session is indexed at most every `CatalogRefresh.liveRefreshInterval`: while one
                // records, its lines are looked for every 2 s, whether or not the marker moved since.
                let every: Duration = !recording.isEmpty ? .seconds(2) : serverOffice != nil ? SearchService.pushInterval : .seconds(86_400)
                let due = looked.isDue(marker, every: every)
                if due, !books.users().isEmpty {
                    looked.saw(marker)
                    do {
                        try await search.refreshNow()
                        await check()
                    } catch { logger.warning("alerts: the search index could not be brought up to date: \(error)") }
                }
            }
            try? await Task.sleep(for: min(interval, liveInterval))
        }
    }

    /// The sessions of `fresh` (new lines by session) with a line that may match a saved search; nil for none.
    private func worthLooking(_ fresh: [String: [String]]) -> Set<String>? {
        let queries = books.users().flatMap { (try? books.load($0).searches.map(\.query)) ?? [] }
        guard !queries.isEmpty else { return nil }
        let filter = LiveLineFilter(queries: queries)
        let sessions = Set(fresh.filter { $0.value.contains(where: filter.mayMatch) }.keys)
        return sessions.isEmpty ? nil : sessions
    }

    private func viewer(_ office: String?) -> String? {
        guard let serverOffice, let office, office != serverOffice else { return nil }
        return office
    }

    private func run(_ saved: SavedSearch, viewer: String?) async throws -> SearchResult {
        try await search.search(saved.query, filters: try Self.filters(saved.filters, zone: zone), limit: Self.hitLimit,
                                perSession: Self.hitLimit, viewer: viewer)
    }

    /// A saved search's filters as the search engine takes them; throws as the search page would.
    static func filters(_ values: [String: String], zone: TimeZone) throws -> SearchFilters {
        var filters = SearchFilters(speaker: values["speaker"], topic: values["topic"], agenda: values["agenda"],
                                    since: try SessionFilter.day(values["since"].map { Substring($0) }, "since", zone: zone),
                                    until: try SessionFilter.day(values["until"].map { Substring($0) }, "until", zone: zone, end: true))
        filters.office = values["office"]
        return filters
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
