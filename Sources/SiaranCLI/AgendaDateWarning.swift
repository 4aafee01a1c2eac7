import Foundation
import SiaranArchive
import SiaranCore

/// Says on the command line when a session's agenda gives another day than its recording's.
public enum AgendaDateWarning {
    /// Warns (stderr) when the days differ, naming both, which stands and how to choose. Returns the check.
    @discardableResult
    public static func warn(archive: Archive, id: String, zone: TimeZone? = nil, console: Console = Console()) -> AgendaDateCheck? {
        guard let details = try? SessionDetails(archive: archive, id: id) else { return nil }
        let zone = zone ?? (try? OfficeTime.chosen(nil).zone) ?? .current
        guard let check = AgendaDateCheck(details, zone: zone), let text = check.warning(language: .english) else { return nil }
        let hint = check.chosen == nil ? " Choose with `siaran agenda \(id) --date recording` or `--date agenda`." : ""
        console.warn(text + hint)
        return check
    }

    /// Before a live recording starts: warns when the agenda's date is not today (in the office's zone).
    public static func warnBeforeRecording(agenda: Agenda?, console: Console = Console()) {
        guard let written = agenda?.date?.trimmingCharacters(in: .whitespaces), !written.isEmpty else { return }
        let time = (try? OfficeTime.chosen(nil)) ?? OfficeTime()
        let today = time.day(Date())
        guard written != today else { return }
        console.warn("the agenda's date (\(AgendaDateCheck.written(written, language: .english))) is not today (\(AgendaDateCheck.written(today, language: .english))); "
                     + "is it the right agenda file? The report and the news post will use the recording's date unless you choose "
                     + "`siaran agenda SESSION --date agenda`")
    }
}
