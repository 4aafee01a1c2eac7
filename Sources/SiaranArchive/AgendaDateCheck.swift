import Foundation
import SiaranCore

/// Whether a session's agenda gives another day than the one it was recorded on (an agenda file
/// from last month), and which of the two the report and the news post print.
///
/// Which stands: the officer's choice (`Agenda.dateChoice` in the session's `agenda.json`, set by
/// `siaran agenda SESSION --date recording|agenda` or `AgendaDateCheck.choose`); without one, the
/// recording's day for a live recording (it is when the briefing happened) and the agenda's for an
/// import (a file's time may be when it was copied, not when the event was held).
public struct AgendaDateCheck: Sendable, Codable, Equatable {
    /// Which date stands.
    public enum Choice: String, Codable, Sendable, CaseIterable {
        case recording, agenda
    }

    /// The agenda's date as written ("2021-09-15").
    public var agendaDay: String
    /// The day the recording started, in the office's zone ("2026-12-06").
    public var recordingDay: String
    /// When the recording started.
    public var recordingStart: Date
    /// Whether the two days differ.
    public var differs: Bool
    /// What the officer chose; nil when nobody has yet.
    public var chosen: Choice?
    /// Which day the report and the news post print.
    public var stands: Choice

    /// The day that stands ("2026-12-06").
    public var standingDay: String { stands == .agenda ? agendaDay : recordingDay }

    /// The check for a session; nil when it lacks either date (no agenda date, or nothing recorded yet).
    public init?(_ d: SessionDetails, zone: TimeZone = .current) {
        guard let agendaDay = d.agenda?.date?.trimmingCharacters(in: .whitespaces), !agendaDay.isEmpty,
              let started = d.session.startedAt else { return nil }
        self.agendaDay = agendaDay
        recordingStart = started
        recordingDay = OfficeTime(zone: zone).day(started)
        differs = agendaDay != recordingDay
        chosen = d.agenda?.dateChoice
        stands = chosen ?? (d.session.kind == .imported ? .agenda : .recording)
    }

    /// Sets (or with nil, clears) which date stands for session `id`: stored in its agenda.
    /// Throws when the session has no agenda.
    public static func choose(_ choice: Choice?, archive: Archive, id: String) throws(ArchiveError) {
        guard var agenda = archive.loadAgenda(id) else {
            throw .unreadableManifest(path: archive.agendaPath(of: id), reason: "the session has no agenda; attach one first (`siaran agenda SESSION FILE`)")
        }
        agenda.dateChoice = choice
        try archive.saveAgenda(agenda, of: id)
    }

    /// A day ("2021-09-15") as the office writes it: "Rabu, 15 September 2021".
    public static func written(_ day: String, language: OfficeLanguage = .indonesian) -> String {
        guard let noon = EventTime("12:00")?.on(day, zone: TimeZone(identifier: "UTC") ?? .current) else { return day }
        return OfficeTime(zone: TimeZone(identifier: "UTC") ?? .current).date(noon, language: language)
    }

    /// The warning to show when the days differ (nil when they agree): both days, which stands,
    /// and that the officer may choose.
    public func warning(language: OfficeLanguage = .indonesian) -> String? {
        guard differs else { return nil }
        let agenda = Self.written(agendaDay, language: language), recording = Self.written(recordingDay, language: language)
        switch language {
        case .indonesian:
            let standing = stands == .agenda ? "tanggal agenda" : "tanggal rekaman"
            return "Tanggal agenda (\(agenda)) berbeda dengan tanggal rekaman (\(recording)); laporan dan draf berita memakai \(standing)"
                + (chosen == nil ? " sampai Anda memilih." : " (pilihan Anda).")
        case .english:
            let standing = stands == .agenda ? "the agenda's date" : "the recording's date"
            return "the agenda's date (\(agenda)) differs from the recording's (\(recording)); the report and the news post use \(standing)"
                + (chosen == nil ? " until you choose." : " (as chosen).")
        }
    }
}

extension SessionDetails {
    /// The event's day as the report and the news post print it, at noon in `zone` (a date alone):
    /// the agenda's or the recording's, as `AgendaDateCheck` says; the one there is when only one is.
    public func eventDay(zone: TimeZone = .current) -> Date? {
        if let check = AgendaDateCheck(self, zone: zone) {
            return check.stands == .agenda ? EventTime("12:00")?.on(check.agendaDay, zone: zone) : check.recordingStart
        }
        if let written = agenda?.date, let day = EventTime("12:00")?.on(written, zone: zone) { return day }
        return session.startedAt
    }
}
