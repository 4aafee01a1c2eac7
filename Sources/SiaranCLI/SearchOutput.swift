import Foundation
import SiaranCore
import SiaranSearch

/// How `siaran search` prints a result: what was corrected or expanded, the sessions whose own texts
/// match, then the moments with who spoke and which agenda item ran.
struct SearchOutput {
    let result: SearchResult
    /// Highlight matched words with colours instead of «guillemets».
    let terminal: Bool
    /// Session dates are the day in the office's zone.
    var time = OfficeTime()

    func print() {
        if !result.corrections.isEmpty {
            let fixes = result.corrections.map { "\($0.from) → \($0.to)" }.joined(separator: ", ")
            line("did you mean: \(fixes)? “\(result.query)” found nothing; searched with \(result.corrections.count == 1 ? "that word" : "those words") instead")
        }
        for expansion in result.expansions {
            line("also searched: \(expansion.from) → " + expansion.to.map { "“\($0)”" }.joined(separator: ", "))
        }
        if result.partial {
            line("no moment holds every word; these hold most of them (without: \(result.missing.joined(separator: ", ")))")
        }
        if result.isEmpty {
            line("no matches for \(result.query)")
            return
        }
        if !result.sessions.isEmpty {
            line("sessions whose \(fieldNames()) match:")
            for match in result.sessions {
                let date = match.date.map { time.day($0) } ?? ""
                line("  \(match.session)  \(date)  [\(match.matched.joined(separator: ", "))]  \(match.title)")
                snippet(match.snippet, indent: "      ")
            }
            if !result.hits.isEmpty { line("moments:") }
        }
        for hit in result.hits {
            let date = hit.date.map { time.day($0) } ?? ""
            let who = [hit.office.map { "office: \($0)" }, hit.speaker.map { "speaker: \($0)" }, hit.agenda.map { "agenda: \($0)" }]
                .compactMap { $0 }.joined(separator: " · ")
            let spread = hit.spreadOver.map { "  (words " + $0.map { $0 == "nearby" ? "in neighbouring lines" : "in the session's own texts" }.joined(separator: " and ") + ")" } ?? ""
            line("\(hit.session)  \(date)  \(hit.moment) (\(Decimals.string(hit.seconds, places: 1)) s)  [\(hit.matched)]  \(hit.title)\(spread)")
            if !who.isEmpty { line("    \(who)") }
            snippet(hit.snippet, indent: "    ")
        }
    }

    private func fieldNames() -> String {
        let kinds = Set(result.sessions.flatMap(\.matched))
        let names = ["title", "description", "roster"].filter(kinds.contains)
        return names.count <= 1 ? (names.first ?? "title") : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    private func line(_ text: String) {
        SiaranCLI.print(text)
    }

    private func snippet(_ text: String, indent: String) {
        let safe = TerminalText.safe(text, keepLineBreaks: false)
        if terminal {
            Swift.print(indent + safe.replacingOccurrences(of: "«", with: "\u{1B}[1;33m").replacingOccurrences(of: "»", with: "\u{1B}[0m"))
        } else {
            line(indent + safe)
        }
    }
}
