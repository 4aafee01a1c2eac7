import Foundation
@testable import SiaranArchive
import SiaranCore
import Testing

/// The report and the news post print facts that will be published: the right day, in the office's
/// zone and language, text as written.
@Suite("The report and the news post: the right day, the office's zone and language")
struct AgendaDateAndReportTests {
    static let jakarta = TimeZone(identifier: "Asia/Jakarta")!

    /// The seed's briefing (agenda dated 2021-09-15), its recording moved to `start`.
    static func briefing(recordedAt start: String, kind: SessionKind = .live) throws -> (Archive, String) {
        let (archive, id) = try NewsPostTests.briefing()
        var m = try archive.loadManifest(id)
        let date = try #require(ISO8601.parse(start))
        m.kind = kind
        m.startedAt = date
        m.segments = m.segments.enumerated().map { index, segment in
            var moved = segment
            moved.wallClockStart = date.addingTimeInterval(Double(index) * 6)
            return moved
        }
        try archive.saveManifest(m)
        return (archive, id)
    }

    @Test("an agenda of another day: both dates said, the recording's stands until the officer chooses the agenda's")
    func agendaOfAnotherDay() throws {
        // Sunday 6 December 2026, 10.00 WIB, recorded with the agenda file of 15 September 2021.
        let (archive, id) = try Self.briefing(recordedAt: "2026-12-06T03:00:00Z")
        var d = try SessionDetails(archive: archive, id: id)
        let check = try #require(AgendaDateCheck(d, zone: Self.jakarta))
        #expect(check.differs && check.agendaDay == "2021-09-15" && check.recordingDay == "2026-12-06")
        #expect(check.chosen == nil && check.stands == .recording)
        let warning = try #require(check.warning())
        #expect(warning.contains("Rabu, 15 September 2021") && warning.contains("Minggu, 6 Desember 2026"), "\(warning)")
        #expect(try #require(check.warning(language: .english)).contains("Sunday, 6 December 2026"))
        #expect(NewsPostDraft.text(d, post: NewsPost(), zone: Self.jakarta).contains("Pada Minggu (6/12), KPU RI menggelar"))
        #expect(SessionReport.markdown(d, zone: Self.jakarta).contains("**Tanggal:** Minggu, 6 Desember 2026"))

        try AgendaDateCheck.choose(.agenda, archive: archive, id: id)
        d = try SessionDetails(archive: archive, id: id)
        let chosen = try #require(AgendaDateCheck(d, zone: Self.jakarta))
        #expect(chosen.chosen == .agenda && chosen.stands == .agenda && chosen.standingDay == "2021-09-15")
        #expect(NewsPostDraft.text(d, post: NewsPost(), zone: Self.jakarta).contains("Pada Rabu (15/9), KPU RI menggelar"))
        let report = SessionReport.markdown(d, zone: Self.jakarta)
        #expect(report.contains("**Tanggal:** Rabu, 15 September 2021"), "\(report)")
        // The recording's own start is still told, with its date, since it is not the event's day.
        #expect(report.contains("**Rekaman:** 00:10:00, mulai Minggu, 6 Desember 2026, 10.00 WIB"), "\(report)")
        // The same day: nothing to warn about.
        let (same, sameID) = try Self.briefing(recordedAt: "2021-09-15T02:00:00Z")
        #expect(AgendaDateCheck(try SessionDetails(archive: same, id: sameID), zone: Self.jakarta)?.warning() == nil)
    }

    @Test("the day falls in the office's zone; an import's own time does not override its agenda")
    func zoneAndImports() throws {
        // 14 September, 18:30 UTC is the 15th, 01.30 WIB: the same day as the agenda in Jakarta, not in UTC.
        let (archive, id) = try Self.briefing(recordedAt: "2021-09-14T18:30:00Z")
        let d = try SessionDetails(archive: archive, id: id)
        #expect(AgendaDateCheck(d, zone: Self.jakarta)?.differs == false)
        #expect(AgendaDateCheck(d, zone: TimeZone(identifier: "UTC")!)?.differs == true)
        let (imported, importedID) = try Self.briefing(recordedAt: "2026-12-06T03:00:00Z", kind: .imported)
        let check = try #require(AgendaDateCheck(try SessionDetails(archive: imported, id: importedID), zone: Self.jakarta))
        #expect(check.differs && check.stands == .agenda)
    }

    @Test("the report is Indonesian by default, English on request, times in the office's zone, text as written")
    func reportLanguages() throws {
        let (archive, id) = try Self.briefing(recordedAt: "2021-09-15T02:00:00Z")
        let d = try SessionDetails(archive: archive, id: id)
        let md = SessionReport.markdown(d, zone: Self.jakarta)
        #expect(md.contains("**Tanggal:** Rabu, 15 September 2021 · **Penyelenggara:** KPU RI · **Rekaman:** 00:10:00, mulai 09.00 WIB (sesi "), "\(md)")
        #expect(md.contains("## Yang berbicara") && md.contains("| Pembicara | Jabatan | Lama berbicara |") && md.contains("## Peserta"))
        // Parentheses need no backslash: no link can form once brackets are escaped.
        #expect(md.contains("Badan Koordinasi Kehumasan (Bakohumas)") && !md.contains("\\(Bakohumas\\)"), "\(md)")
        let english = SessionReport.markdown(d, language: .english, zone: TimeZone(identifier: "Asia/Makassar")!)
        #expect(english.contains("**Date:** Wednesday, 15 September 2021 · **Organiser:** KPU RI · **Recording:** 00:10:00, from 10:00 WITA (session "), "\(english)")
        #expect(english.contains("## Who spoke") && english.contains("| Speaker | Role | Speaking time |"))
        let html = SessionReport.html(d, zone: Self.jakarta)
        #expect(html.contains("<html lang=\"id\">") && html.contains("<h2>Yang berbicara</h2>") && html.contains("mulai 09.00 WIB"))
        #expect(SessionReport.html(d, language: .english, zone: Self.jakarta).contains("<html lang=\"en\">"))
        // A line that would read as a numbered item or heading stays text.
        #expect(SessionReport.lineStart("1. Pembukaan") == "1\\. Pembukaan" && SessionReport.lineStart("# x") == "\\# x")
    }

    @Test("topics keep the case they were typed in, and take a name's capitals from the agenda")
    func topicCase() throws {
        let (archive, id) = try Self.briefing(recordedAt: "2021-09-15T02:00:00Z")
        let tagger = Tagger(archive: archive)
        for topic in ["bakohumas", "Hoaks Pilkada", "kpu"] { _ = try tagger.tag(session: id, kind: .topic, value: topic, at: 500) }
        let text = NewsPostDraft.text(try SessionDetails(archive: archive, id: id), post: NewsPost(), zone: Self.jakarta)
        #expect(text.contains("Topik yang dibahas antara lain hoaks, Pemilu 2024, Bakohumas, Hoaks Pilkada, serta KPU."), "\(text)")
    }
}
