import Foundation
import Logging
import SiaranArchive
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs the archive's schedule: once a second it starts a `siaran-media record` child for every
/// recording whose time has come (with `--wait`, so it waits for the stream), stops it after the end
/// plus overrun (Ctrl-C: the segment is finished and the session closed), and starts a new one when a
/// recorder crashes or gives up in between (not when its source ended or was refused: see `recorderEnded`). State lives in the schedule file, so a restarted server carries on, and
/// takes over recorders a previous server started that are still running.
actor RecordingScheduler {
    let store: ScheduleStore
    let archive: Archive
    let mediaExecutable: String?
    let logger: Logger
    private var children: [String: Process] = [:]
    private var interruptedAt: [String: Date] = [:]
    private var exitedAt: [String: Date] = [:]

    /// A recorder that keeps dying is given up after this many restarts.
    static let mostRestarts = 20
    /// The environment variable that hands a recorder its source.
    static let sourceVariable = "SIARAN_SOURCE_URL"
    /// A recorder told to stop that is still running after this long is killed.
    static let stopGrace: TimeInterval = 30

    init(archive: Archive, mediaExecutable: String?, logger: Logger) {
        self.archive = archive
        store = ScheduleStore(archive: archive)
        self.mediaExecutable = mediaExecutable
        self.logger = logger
    }

    /// Ticks until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            tick()
            try? await Task.sleep(for: .seconds(1))
        }
    }

    func tick(now: Date = Date()) {
        do {
            try store.update { recordings in
                for index in recordings.indices { step(&recordings[index], now: now) }
            }
        } catch {
            logger.error("the schedule cannot be read or written: \(error)")
        }
    }

    /// Cancels a recording; a running recorder is told to stop (it closes its session).
    func cancel(_ id: String, by author: String) throws -> ScheduledRecording {
        try store.update { recordings in
            guard let index = recordings.firstIndex(where: { $0.id == id }) else { throw ScheduleError("no scheduled recording '\(id)'") }
            if !recordings[index].state.isOver {
                if isAlive(recordings[index]) { stop(recordings[index], now: Date()) }
                recordings[index].state = .cancelled
                recordings[index].reason = "cancelled by \(author)"
                recordings[index].updatedAt = Date()
            }
            return recordings[index]
        }
    }

    // MARK: - One recording, one step

    private func step(_ r: inout ScheduledRecording, now: Date) {
        // This server's child is the truth, even if an earlier save of the schedule failed.
        if let child = children[r.id], child.isRunning, r.pid != child.processIdentifier {
            r.pid = child.processIdentifier
            r.pidStartTime = Self.startTime(of: child.processIdentifier)
        }
        let before = r
        defer { if r != before { r.updatedAt = now } }
        if r.state == .cancelled, r.pid != nil {
            // A cancelled recorder is stopped as one at the end is: Ctrl-C, then a kill.
            if isAlive(r) { stop(r, now: now) } else { forget(&r) }
            return
        }
        guard !r.state.isOver else { return }
        let alive = isAlive(r)
        if alive { noteSessions(of: &r) }
        if now >= r.recordUntil {
            if alive {
                stop(r, now: now)
            } else {
                end(&r, now: now)
            }
        } else if now < r.recordFrom {
            r.state = .scheduled
        } else if alive {
            // Once a recorder has written media it stays so: no need to read its manifests every second.
            r.state = r.state == .recording || hasMedia(r) ? .recording : .waiting
        } else {
            if r.pid != nil { recorderEnded(&r, now: now) }
            if !r.state.isOver, mayStart(r, now: now) { launch(&r, now: now) }
        }
    }

    private func forget(_ r: inout ScheduledRecording) {
        children[r.id] = nil
        interruptedAt[r.id] = nil
        r.pid = nil
        r.pidStartTime = nil
    }

    private func end(_ r: inout ScheduledRecording, now: Date) {
        forget(&r)
        if hasMedia(r) {
            r.state = .finished
            r.reason = nil
        } else {
            r.state = .failed
            r.reason = lastError(r) ?? (r.startedAt == nil ? "no recorder was started" : "no stream came before the end (\(ISO8601.format(r.recordUntil)))")
        }
        logger.notice("scheduled recording \(r.id) '\(r.title)' \(r.state.rawValue)\(r.reason.map { ": " + $0 } ?? "")")
    }

    /// A recorder stopped before the end: note why, and count it if it is to be restarted. Its exit
    /// status says whether it crashed (README, Exit status): 0 is a source that ended (a finished
    /// VOD playlist, a file over HTTP), 1 bad input (a refused address, no audio or video, a full disk),
    /// 64 a refused command line; starting again changes none of these. 3 (the source stayed
    /// unreachable past --give-up-after) and anything else (a signal, a crash) are restarted.
    private func recorderEnded(_ r: inout ScheduledRecording, now: Date) {
        let child = children[r.id]
        let status = child.map { $0.terminationStatus }
        let exited = child.map { $0.terminationReason == .exit } ?? false
        forget(&r)
        exitedAt[r.id] = now
        let error = lastError(r)
        if exited, status == 0 {
            r.state = hasMedia(r) ? .finished : .failed
            r.reason = "the source ended before the scheduled end (\(ISO8601.format(r.recordUntil))); a source that ends is not restarted"
            logger.notice("scheduled recording \(r.id) '\(r.title)': the source ended; \(r.state.rawValue)")
            return
        }
        if exited, status == 1 || status == 64 {
            r.state = .failed
            r.reason = error ?? (status == 1 ? "the recorder refused its source" : "the recorder refused its command line")
            logger.notice("scheduled recording \(r.id) '\(r.title)' failed: \(r.reason ?? "")")
            return
        }
        guard r.restarts < Self.mostRestarts else {
            // What was recorded stays recorded: finished (with the reason) when any session has media.
            r.state = hasMedia(r) ? .finished : .failed
            r.reason = "the recorder stopped \(r.restarts + 1) times, so it was not started again; the last time: \(error ?? "exit \(status.map(String.init) ?? "?")")"
            return
        }
        r.restarts += 1
        r.reason = "recorder restarted after it stopped (\(error ?? "exit \(status.map(String.init) ?? "unknown")"))"
        logger.warning("scheduled recording \(r.id): the recorder stopped; starting another (\(r.restarts))")
    }

    /// Restarts back off: 1, 2, 4 … 30 s after the last recorder ended.
    private func mayStart(_ r: ScheduledRecording, now: Date) -> Bool {
        guard let ended = exitedAt[r.id] else { return true }
        return now.timeIntervalSince(ended) >= min(30, pow(2, Double(max(r.restarts - 1, 0))))
    }

    private func launch(_ r: inout ScheduledRecording, now: Date) {
        guard let executable = mediaExecutable, FileManager.default.isExecutableFile(atPath: executable) else {
            r.state = .failed
            r.reason = "siaran-media is not installed beside siaran-serve; recordings need it"
            return
        }
        let left = max(1, Int(r.recordUntil.timeIntervalSince(now).rounded(.up)))
        // The source (it may hold a stream key) goes in the child's environment, which only its
        // owner can read, not on its command line, which `ps` shows to every user.
        var arguments = ["record", "env:" + Self.sourceVariable, "--title=" + r.title, "--wait", "\(left)s", "--stop-after", "\(left)s"]
        if r.listen { arguments.append("--listen") }
        if let agenda = r.agendaFile { arguments += ["--agenda", store.agendaPath(agenda)] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["SIARAN_ARCHIVE": archive.root, Self.sourceVariable: r.source]) { $1 }
        process.standardInput = FileHandle.nullDevice
        do {
            let log = try openLog(r.id)
            process.standardOutput = log
            process.standardError = log
            try process.run()
            try? log.close()
        } catch {
            r.state = .failed
            r.reason = "the recorder could not be started: \(error)"
            return
        }
        children[r.id] = process
        r.pid = process.processIdentifier
        r.pidStartTime = Self.startTime(of: process.processIdentifier)
        r.startedAt = now
        r.state = .waiting
        logger.notice("scheduled recording \(r.id) '\(r.title)': recorder started (pid \(process.processIdentifier)), until \(ISO8601.format(r.recordUntil))")
    }

    /// Ctrl-C at the end, then a kill if it does not stop (to this server's child when it has one).
    private func stop(_ r: ScheduledRecording, now: Date) {
        guard let pid = children[r.id]?.processIdentifier ?? r.pid else { return }
        if let sent = interruptedAt[r.id] {
            if now.timeIntervalSince(sent) > Self.stopGrace { kill(pid, SIGKILL) }
        } else {
            interruptedAt[r.id] = now
            kill(pid, SIGINT)
        }
    }

    // MARK: - Looking at recorders

    /// Whether the recording's recorder runs: this server's child, or one a previous server started.
    private func isAlive(_ r: ScheduledRecording) -> Bool {
        if let child = children[r.id] { return child.isRunning }
        guard let pid = r.pid, kill(pid, 0) == 0 else { return false }
        // The pid may have been reused: only the process started then, a siaran-media recorder, counts.
        guard let started = r.pidStartTime, Self.startTime(of: pid) == started else { return false }
        guard let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return false }
        let parts = command.split(separator: "\0")
        return parts.first.map { $0.hasSuffix("siaran-media") } == true && parts.dropFirst().first == "record"
    }

    /// When process `pid` started, in clock ticks after boot (field 22 of `/proc/PID/stat`); nil
    /// when it is gone or a zombie.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command name in parentheses: state (field 3) … starttime (field 22).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return UInt64(fields[19])
    }

    /// The sessions the running recorder holds (its pid is in their lock files).
    private func noteSessions(of r: inout ScheduledRecording) {
        guard let pid = r.pid else { return }
        for id in archive.lockedSessionIDs() where !r.sessions.contains(id) {
            let holder = (try? String(contentsOfFile: archive.lockPath(of: id), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if holder == String(pid) { r.sessions.append(id) }
        }
    }

    private func hasMedia(_ r: ScheduledRecording) -> Bool {
        r.sessions.contains { ((try? archive.loadManifest($0).segments.count) ?? 0) > 0 }
    }

    private func openLog(_ id: String) throws -> FileHandle {
        let path = store.logPath(of: id)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ScheduleError("cannot write the recorder's log \(path): \(String(cString: strerror(errno)))") }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The recorder's last error line, from its log.
    private func lastError(_ r: ScheduledRecording) -> String? {
        guard let data = FileManager.default.contents(atPath: store.logPath(of: r.id)) else { return nil }
        let lines = String(decoding: data.suffix(8192), as: UTF8.self).split(separator: "\n")
        return lines.last { $0.hasPrefix("error:") || $0.hasPrefix("Error:") }
            .map { String($0.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces) }
    }
}
