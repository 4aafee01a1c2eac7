import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// A briefing scheduled for recording: where its stream will be, when it runs, and how far its
/// recording has come. `siaran serve` starts a recorder `preRoll` before `start` (waiting for the
/// stream), stops it `overrun` after `end`, and starts a new one when a recorder dies in between.
public struct ScheduledRecording: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Its time has not come yet.
        case scheduled
        /// A recorder runs and waits for the stream to appear.
        case waiting
        /// A recorder is writing a session.
        case recording
        case finished
        /// It could not be recorded; `reason` says why.
        case failed
        case cancelled

        public var isOver: Bool { [.finished, .failed, .cancelled].contains(self) }
    }

    public var id: String
    public var title: String
    /// The stream's address as given (it may hold a stream key: never shown, see `redactedSource`).
    public var source: String
    /// Listen for a pushed stream at `source` instead of pulling it.
    public var listen: Bool
    public var start: Date
    public var end: Date
    /// Seconds before `start` that recording begins, and after `end` that it stops.
    public var preRoll: Double
    public var overrun: Double
    /// The agenda/roster YAML given with it, kept beside the schedule.
    public var agendaFile: String?
    public var state: State = .scheduled
    public var reason: String?
    /// The sessions its recorders made (a new one after each restart).
    public var sessions: [String] = []
    public var restarts: Int = 0
    /// The running recorder's process id, and when it started (in clock ticks after boot, field 22
    /// of `/proc/PID/stat`), so that another process given the same id later is never taken for it.
    public var pid: Int32?
    public var pidStartTime: UInt64?
    /// When the last recorder was started.
    public var startedAt: Date?
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date?

    public init(id: String, title: String, source: String, listen: Bool = false, start: Date, end: Date,
                preRoll: Double = 300, overrun: Double = 1800, agendaFile: String? = nil, createdBy: String?, createdAt: Date) {
        self.id = id
        self.title = title
        self.source = source
        self.listen = listen
        self.start = start
        self.end = end
        self.preRoll = preRoll
        self.overrun = overrun
        self.agendaFile = agendaFile
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// When the recorder is started, and when it is stopped.
    public var recordFrom: Date { start.addingTimeInterval(-preRoll) }
    public var recordUntil: Date { end.addingTimeInterval(overrun) }

    public var redactedSource: String { Redaction.redact(source) }
}

/// Why a recording cannot be scheduled as asked.
public struct ScheduleError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The archive's schedule: `<archive>/.schedule/schedule.json` (mode 0600: sources may hold stream
/// keys), with each recording's agenda and recorder log beside it. Changes are made under a lock and
/// written atomically, so a server restart (or a crash) loses nothing.
public struct ScheduleStore: Sendable {
    public let archive: Archive

    public init(archive: Archive) { self.archive = archive }

    public var folder: String { archive.root + "/.schedule" }
    public var path: String { folder + "/schedule.json" }
    public func agendaPath(_ name: String) -> String { folder + "/" + name }
    public func logPath(of id: String) -> String { folder + "/\(id).log" }

    /// The longest recording that may be scheduled, and how far ahead.
    public static let longest: TimeInterval = 24 * 3600
    public static let furthestAhead: TimeInterval = 366 * 86400

    public func load() throws(ArchiveError) -> [ScheduledRecording] {
        guard let data = try PlainFile.read(path) else { return [] }
        do {
            return try JSONCoding.decoder().decode([ScheduledRecording].self, from: data)
        } catch {
            throw .unreadableManifest(path: path, reason: "not a schedule file (\(error)); move it away to start the schedule again")
        }
    }

    /// Applies `change` to the schedule under its lock and saves it; returns what `change` returns.
    @discardableResult
    public func update<T>(_ change: (inout [ScheduledRecording]) throws -> T) throws -> T {
        try prepareFolder()
        let lock = try ExclusiveFileLock(path: folder + "/schedule.lock")
        defer { withExtendedLifetime(lock) {} }
        var recordings = try load()
        let before = recordings
        let result = try change(&recordings)
        if recordings != before {
            let data: Data
            do { data = try JSONCoding.encoder().encode(recordings) } catch {
                throw ArchiveError.cannotEncode(path: path, reason: "cannot encode the schedule: \(error)")
            }
            try AtomicFile.write(data, to: path, mode: 0o600)
        }
        return result
    }

    /// Adds a recording after checking it; its agenda YAML (already checked) is kept beside it.
    public func add(_ recording: ScheduledRecording, agendaText: String?, now: Date = Date()) throws -> ScheduledRecording {
        var recording = recording
        guard !recording.source.trimmingCharacters(in: .whitespaces).isEmpty else { throw ScheduleError("give the stream's address (url)") }
        guard recording.end > recording.start else { throw ScheduleError("the end (\(ISO8601.format(recording.end))) must be after the start (\(ISO8601.format(recording.start)))") }
        guard recording.end.timeIntervalSince(recording.start) <= Self.longest else { throw ScheduleError("a scheduled recording may last at most 24 hours") }
        guard recording.recordUntil > now else { throw ScheduleError("this briefing (until \(ISO8601.format(recording.recordUntil)) with its overrun) is already over") }
        guard recording.start.timeIntervalSince(now) <= Self.furthestAhead else { throw ScheduleError("a recording may be scheduled at most a year ahead") }
        guard (0...7200).contains(recording.preRoll), (0...14400).contains(recording.overrun) else {
            throw ScheduleError("pre-roll may be 0 to 7200 s and overrun 0 to 14400 s")
        }
        try prepareFolder()
        if let agendaText {
            let name = "\(recording.id).agenda.yaml"
            try AtomicFile.write(Data(agendaText.utf8), to: agendaPath(name), mode: 0o600)
            recording.agendaFile = name
        }
        try update { $0.append(recording) }
        return recording
    }

    func prepareFolder() throws(ArchiveError) {
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { throw .io(path: folder, errno: errno) }
        var info = stat()
        guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .notPlain(path: folder, what: "not a folder")
        }
    }

    /// A new recording's id: "r" and 8 hex digits.
    public static func newID() -> String { "r" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8) }
}
