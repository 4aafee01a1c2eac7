import Foundation
@testable import SiaranCore
import Testing

@Suite("Times in the office's zone, as Indonesians write them")
struct OfficeTimeTests {
    /// 15 September 2021, 02:00 UTC: 09.00 in Jakarta, a Wednesday.
    let briefing = Date(timeIntervalSince1970: 1_631_671_200)

    func office(_ name: String) throws -> OfficeTime { try #require(OfficeTime(zoneNamed: name)) }

    @Test("Jakarta is WIB, Makassar WITA, Jayapura WIT, in Indonesian and English", arguments: [
        ("Asia/Jakarta", "Rabu, 15 September 2021, 09.00 WIB", "Wednesday, 15 September 2021, 09:00 WIB", "2021-09-15T09:00:00+07:00"),
        ("Asia/Makassar", "Rabu, 15 September 2021, 10.00 WITA", "Wednesday, 15 September 2021, 10:00 WITA", "2021-09-15T10:00:00+08:00"),
        ("Asia/Jayapura", "Rabu, 15 September 2021, 11.00 WIT", "Wednesday, 15 September 2021, 11:00 WIT", "2021-09-15T11:00:00+09:00"),
        ("UTC", "Rabu, 15 September 2021, 02.00 UTC", "Wednesday, 15 September 2021, 02:00 UTC", "2021-09-15T02:00:00+00:00"),
    ])
    func zones(zone: String, indonesian: String, english: String, iso: String) throws {
        let time = try office(zone)
        #expect(time.dateTime(briefing) == indonesian)
        #expect(time.dateTime(briefing, language: .english) == english)
        #expect(time.iso8601(briefing) == iso)
        #expect(ISO8601.parse(time.iso8601(briefing)) == briefing)
    }

    @Test("a date alone, and the short names of the Indonesian zones")
    func dateAlone() throws {
        #expect(try office("Asia/Jakarta").date(briefing) == "Rabu, 15 September 2021")
        #expect(try office("Asia/Jakarta").date(briefing, language: .english) == "Wednesday, 15 September 2021")
        #expect(try office("WITA").zone.identifier == "Asia/Makassar")
        #expect(OfficeTime(zoneNamed: "Asia/Atlantis") == nil)
        #expect(OfficeTime(zoneNamed: "Jakarta") == nil)
    }

    @Test("the day boundary falls in the office's zone, not UTC")
    func dayBoundary() throws {
        // 14 September 2021, 17:30 UTC is already the 15th, 00.30, in Jakarta.
        let lateUTC = Date(timeIntervalSince1970: 1_631_640_600)
        #expect(try office("Asia/Jakarta").dateTime(lateUTC) == "Rabu, 15 September 2021, 00.30 WIB")
        #expect(try office("Asia/Jakarta").day(lateUTC) == "2021-09-15")
        #expect(try office("UTC").dateTime(lateUTC) == "Selasa, 14 September 2021, 17.30 UTC")
        #expect(try office("UTC").day(lateUTC) == "2021-09-14")
        // New Year's Eve in Jayapura, the last minute of the year in UTC.
        let newYear = try #require(ISO8601.parse("2021-12-31T23:59:00Z"))
        #expect(try office("Asia/Jayapura").dateTime(newYear) == "Sabtu, 1 Januari 2022, 08.59 WIT")
    }

    @Test("other offsets are written UTC+HH.MM; milliseconds kept in ISO 8601 when present")
    func otherOffsets() throws {
        #expect(try office("Asia/Kolkata").dateTime(briefing) == "Rabu, 15 September 2021, 07.30 UTC+05.30")
        #expect(try office("America/New_York").dateTime(briefing, language: .english) == "Tuesday, 14 September 2021, 22:00 UTC-04:00")
        let withMillis = briefing.addingTimeInterval(0.25)
        #expect(try office("Asia/Jakarta").iso8601(withMillis) == "2021-09-15T09:00:00.250+07:00")
        #expect(try office("America/New_York").iso8601(briefing) == "2021-09-14T22:00:00-04:00")
    }

    @Test("--timezone, then $SIARAN_TIMEZONE, then the machine's zone")
    func chosenZone() throws {
        #expect(try OfficeTime.chosen("Asia/Makassar", environment: ["SIARAN_TIMEZONE": "Asia/Jayapura"]).zone.identifier == "Asia/Makassar")
        #expect(try OfficeTime.chosen(nil, environment: ["SIARAN_TIMEZONE": "Asia/Jayapura"]).zone.identifier == "Asia/Jayapura")
        #expect(try OfficeTime.chosen(nil, environment: [:]).zone == TimeZone.current)
        #expect(throws: OfficeTime.UnknownZone.self) { try OfficeTime.chosen("Mars/Olympus", environment: [:]) }
        #expect(OfficeLanguage(code: "id-ID") == .indonesian && OfficeLanguage(code: "en-US") == .english && OfficeLanguage(code: "fr") == nil)
    }

    @Test("a day's midnights in the office's zone, for date filters on the command line and the web; a day that does not exist is nil")
    func midnights() {
        let makassar = OfficeTime(zone: TimeZone(identifier: "Asia/Makassar")!)
        #expect(makassar.midnight(of: "2021-09-15") == ISO8601.parse("2021-09-14T16:00:00Z"))
        #expect(makassar.midnight(of: "2021-09-15", after: true) == ISO8601.parse("2021-09-15T16:00:00Z"))
        #expect(makassar.midnight(of: "2021-12-31", after: true) == ISO8601.parse("2021-12-31T16:00:00Z"))
        for bad in ["2021-02-30", "2021-9-15", "yesterday", "2021-09-15T00:00"] { #expect(makassar.midnight(of: bad) == nil, "\(bad)") }
    }
}
