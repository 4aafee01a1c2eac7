import Foundation
import Hummingbird
import SiaranCore
import SiaranSearch

/// `GET /api/catalog/status`: every office of the shared catalog as the national team checks them —
/// sessions and rows in the catalog, the last push each office reported (in that office's own time
/// zone), what it had not pushed yet, its last error, and whether it has been silent for more than a
/// day. For the server's own administrators only (admin, and not a user of another office): a
/// national server's role sees every office's report, an office's server only its own. Read-only.
struct CatalogStatusRoutes {
    let search: SearchService
    let view: OfficeView
    let gate: Gate

    func add(to router: Router<SiaranContext>) {
        router.get("/api/catalog/status") { _, context in
            try gate.require(.admin, context)
            // A user of another office would see offices that are not theirs to see.
            if view.viewer(context) != nil { throw APIError(.forbidden, key: "error.catalogNational") }
            guard view.serverOffice != nil else { throw APIError(.notFound, key: "error.noSharedCatalog") }
            let status = try await search.catalogStatus()
            return try Reply.json(Self.report(status, own: view.serverOffice, now: Date(), language: context.visitor.language))
        }
    }

    struct Report: Encodable {
        var own: String?
        var checkedAt: Date
        var silentAfterHours: Int
        var schemaVersion: Int
        var offices: [Office]
    }

    struct Office: Encodable {
        var name: String
        var seesAll: Bool
        var sessions: Int
        var rows: Int
        var newestSession: Date?
        /// The office's last push as it reported it (nil: none reported, by an older Siaran or not yet).
        var push: OfficePush?
        /// When it was reported, written in the office's own zone and the visitor's language.
        var reportedText: String?
        var lastFailureText: String?
        /// No report for more than a day (an office that never reported counts once it has sessions).
        var silent: Bool
        var failing: Bool
    }

    static func report(_ status: SharedCatalogStatus, own: String?, now: Date, language: OfficeLanguage) -> Report {
        let offices = status.offices.map { office -> Office in
            let zone = office.push?.zone.flatMap { OfficeTime(zoneNamed: $0) } ?? OfficeTime()
            let silent = office.push.map { OfficePush.isSilent($0, now: now) } ?? (office.sessions > 0 || office.lastPush != nil)
            return Office(name: office.name, seesAll: office.seesAll, sessions: office.sessions, rows: office.rows, newestSession: office.newestSession,
                          push: office.push, reportedText: office.push.map { zone.dateTime($0.countedAt, language: language) },
                          lastFailureText: office.push?.lastFailure.map { zone.dateTime($0, language: language) },
                          silent: silent, failing: office.push?.failing ?? false)
        }
        return Report(own: own, checkedAt: now, silentAfterHours: Int(OfficePush.silentAfter / 3600), schemaVersion: status.schemaVersion, offices: offices)
    }
}
