import ArgumentParser
import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

extension CatalogCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every office's sessions, rows and last push (what it had not pushed, its errors), and what this archive has not pushed yet.",
            discussion: "When the shared catalog does not answer, this archive's own state: what waits since its last push that reached the catalog, and why its last push failed.")
        @OptionGroup var archive: ArchiveOptions
        @OptionGroup var catalog: CatalogOptions
        @Flag(help: "Print JSON.") var json = false

        struct Report: Encodable {
            var catalog: SharedCatalogStatus?
            /// Why the catalog could not be read (then `catalog` is nil and the counts are this archive's own).
            var catalogError: String?
            var office: String
            var waitingToPush: [String]
            var rowsWaiting: Int
            var removalsWaiting: Int
            var push: PushRecord?
            /// Where searches read (a replica named with --catalog-read).
            var readReplica: ReadReplicaState?
        }

        func run() throws {
            let store = archive.open()
            var report: Report
            do {
                let engine = try CatalogCommand.sharedEngine(catalog, archive: store)
                let admin = try engine.administration()
                let status = try AsyncBridge.wait { try await admin.status() }
                let known = try AsyncBridge.wait { try await engine.open(store).indexedSessions() }
                let waiting = PushedSessions.waiting(store, pushed: known.mapValues(\.fingerprint))
                let replica = try (engine as? any ReadReplicaReporting).flatMap { reporting in try AsyncBridge.wait { try await reporting.readReplicaState() } }
                report = Report(catalog: status, office: engine.office, waitingToPush: waiting.sessions, rowsWaiting: waiting.rows,
                                removalsWaiting: waiting.removals, push: PushRecord.load(store), readReplica: replica)
            } catch {
                // Only once a catalog is named (and this archive may be its office's) is there a local state to show.
                guard let url = CommandEnvironment.sharedCatalogURL else { throw error }
                let pushed = PushedSessions.load(store) ?? [:]
                let waiting = PushedSessions.waiting(store, pushed: pushed)
                let reason = PushRecord.withoutPasswords(String(describing: error))
                report = Report(catalog: nil, catalogError: "the shared catalog at \(Redaction.redact(url)) could not be read: \(reason)",
                                office: ((try? CommandEnvironment.searchEngine) as? any SharedCatalogEngine)?.office ?? "local", waitingToPush: waiting.sessions, rowsWaiting: waiting.rows,
                                removalsWaiting: waiting.removals, push: PushRecord.load(store))
            }
            if json {
                print(String(decoding: try JSONCoding.encoder().encode(report), as: UTF8.self))
                return
            }
            print(Self.text(report, now: Date()))
        }

        static func text(_ report: Report, now: Date) -> String {
            func ago(_ date: Date) -> String { ClockFormat.string(max(0, now.timeIntervalSince(date)).rounded()) + " ago" }
            var lines: [String] = []
            if let error = report.catalogError {
                lines.append(TerminalText.safe(error))
                lines.append("showing this archive's own state (what waits is counted against its last push that reached the catalog)")
            }
            if let status = report.catalog {
                lines.append("shared catalog \(status.location), schema v\(status.schemaVersion), acting as \(status.actingAs.map { "office \($0)'s role" } ?? "its owner")")
                if let replica = report.readReplica {
                    lines.append(replica.inUse ? "searches read from the replica \(replica.location) (it trails the primary by \(String(format: "%.1f", replica.lag ?? 0)) s)"
                                 : "searches read from the primary: the replica \(replica.location) \(TerminalText.safe(replica.reason ?? "is out of use"))")
                }
                if !status.indexedTenantSearch {
                    lines.append("warning: offices' roles search without the word index; a superuser runs: ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF")
                }
                for office in status.offices {
                    let lag = office.lastPush.map { "last push \(ago($0))" } ?? "never pushed"
                    var line = "  \(TerminalText.safe(office.name)): \(office.sessions) sessions, \(office.rows) rows, \(lag)"
                    if office.seesAll { line += ", sees every office" }
                    if let role = office.role { line += ", role \(TerminalText.safe(role))" }
                    if let media = office.mediaURL { line += ", media at \(TerminalText.safe(media))" }
                    lines.append(line)
                    if let push = office.push {
                        let zone = push.zone.flatMap { OfficeTime(zoneNamed: $0) } ?? OfficeTime()
                        // What the office said when it last reached the catalog: for a silent office, how things stood then.
                        let silent = OfficePush.isSilent(push, now: now)
                        var state = "    last contact \(ago(push.countedAt)) (\(zone.dateTime(push.countedAt, language: .english))): " + (silent ? "then " : "")
                        state += push.sessionsBehind == 0 && push.removalsBehind == 0 ? "nothing waiting"
                            : "\(push.sessionsBehind) sessions (\(push.rowsBehind) rows) waiting" + (push.removalsBehind > 0 ? ", \(push.removalsBehind) to remove" : "")
                        if let failure = push.lastFailure, let error = push.lastError {
                            state += push.failing ? "; failing since \(ago(failure)): " : "; last error \(ago(failure)): "
                            state += TerminalText.safe(error)
                        }
                        if silent {
                            state += "; SILENT for more than a day: nothing heard since (a push failing on a cut connection shows once the office reaches the catalog again)"
                        }
                        lines.append(state)
                    } else if !office.seesAll || office.lastPush != nil {
                        lines.append("    no push reported (an older Siaran, or not yet)")
                    }
                }
            }
            var mine = report.waitingToPush.isEmpty && report.removalsWaiting == 0 ? "this archive (office \(report.office)): everything pushed"
                : "this archive (office \(report.office)): \(report.waitingToPush.count) sessions waiting to be pushed (\(report.rowsWaiting) rows)"
                    + (report.removalsWaiting > 0 ? ", \(report.removalsWaiting) to remove" : "") + " (siaran catalog push, or the server's next push)"
            if let record = report.push, let attempt = record.lastAttempt {
                if let error = record.lastError {
                    mine += "; its last push (\(ago(attempt))) failed: \(TerminalText.safe(error))"
                        + (record.lastSuccess.map { ", last success \(ago($0))" } ?? ", never succeeded")
                } else {
                    mine += "; its last push succeeded \(ago(attempt))"
                }
            }
            lines.append(mine)
            return lines.joined(separator: "\n")
        }
    }
}
