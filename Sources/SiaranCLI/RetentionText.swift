import Foundation
import SiaranArchive
import SiaranCore
import SiaranSearch

/// How `siaran retention` prints a policy, a plan and a run's outcome.
struct RetentionText {
    let time: OfficeTime

    func policy(_ p: RetentionPolicy) -> String {
        guard p.isActive else { return "policy: none (nothing is deleted; set one with siaran retention --keep 365d and/or --budget 500G)" }
        var parts: [String] = []
        if let days = p.keepDays { parts.append("keep \(RetentionPolicy.days(days))") }
        if let budget = p.budgetBytes { parts.append("budget \(Format.bytes(budget))") }
        parts.append("never the \(p.keepNewest) newest session\(p.keepNewest == 1 ? "" : "s"), pinned ones or one being recorded")
        let who = p.setAt.map { " (set \(time.day($0))\(p.setBy.map { " by \($0)" } ?? ""))" } ?? ""
        return "policy: " + parts.joined(separator: "; ") + who
    }

    func plan(_ plan: RetentionPlan) -> String {
        var lines = [policy(plan.policy), "sessions: \(plan.sessions), \(Format.bytes(plan.totalBytes))"
                     + (plan.trashSessions > 0 ? " with the trash (\(plan.trashSessions) deleted session\(plan.trashSessions == 1 ? "" : "s"), \(Format.bytes(plan.trashBytes)); "
                        + "the budget counts it and empties it first)" : "")]
        if !plan.unfinished.isEmpty {
            lines.append("waiting to be removed (an earlier run was interrupted; the next run finishes it): \(plan.unfinished.joined(separator: ", "))")
        }
        if plan.delete.isEmpty {
            lines.append("the next run deletes nothing")
        } else {
            lines.append("the next run deletes \(plan.delete.count) session\(plan.delete.count == 1 ? "" : "s"), \(Format.bytes(plan.freedBytes)), oldest first:")
            for item in plan.delete {
                let why = switch item.reason {
                case .age: "age: older than \(plan.policy.keepDays ?? 0) days"
                case .budget: "budget"
                case .trash: "budget: in the trash, removed before its \(SessionManager.trashDays) days"
                }
                lines.append("  \(item.id)  \(time.day(item.startedAt))  \(Format.bytes(item.bytes))  \(why)  \(TerminalText.safe(item.title))")
            }
            lines.append("after it: \(plan.sessions - plan.delete.count) sessions, \(Format.bytes(plan.remainingBytes))")
        }
        if !plan.kept.isEmpty {
            lines.append("kept although the policy reaches them:")
            for k in plan.kept { lines.append("  \(k.id)  \(time.day(k.startedAt))  \(Format.bytes(k.bytes))  \(k.why.rawValue)  \(TerminalText.safe(k.title))") }
        }
        if let s = plan.shortfall {
            lines.append("budget: the sessions that must be kept take \(Format.bytes(s.keptBytes)), more than the budget of \(Format.bytes(s.budgetBytes)) "
                         + "(pinned \(Format.bytes(s.pinnedBytes)), being recorded \(Format.bytes(s.recordingBytes)), the newest \(Format.bytes(s.newestBytes))); "
                         + "the budget deletes nothing: raise it (--budget), unpin sessions (siaran unpin) or keep fewer newest (--keep-newest)")
        }
        if !plan.unreadable.isEmpty {
            lines.append("never deleted, their session.json cannot be read: \(plan.unreadable.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    func outcome(_ o: RetentionRun.Outcome) -> String {
        var lines: [String] = []
        for id in o.removed { lines.append("deleted \(id)") }
        for (id, why) in o.skipped.sorted(by: { $0.key < $1.key }) { lines.append("kept \(id): \(why)") }
        for (id, why) in o.waiting.sorted(by: { $0.key < $1.key }) { lines.append("out of the archive, files not yet removed: \(id): \(why)") }
        lines.append(o.removed.isEmpty ? "nothing deleted" : "deleted \(o.removed.count) session\(o.removed.count == 1 ? "" : "s"), \(Format.bytes(o.freedBytes)) freed")
        if let s = o.plan.shortfall {
            lines.append("budget not met: the sessions that must be kept take \(Format.bytes(s.keptBytes)), more than \(Format.bytes(s.budgetBytes)) (see siaran retention)")
        }
        return lines.joined(separator: "\n")
    }
}
