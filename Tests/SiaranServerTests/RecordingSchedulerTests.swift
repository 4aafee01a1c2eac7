import Foundation
import Logging
import SiaranArchive
@testable import SiaranServer
import Testing
import SiaranTestSupport

@Suite("The recording scheduler's restarts")
struct RecordingSchedulerTests {
    /// Ticks at `now` once the child started by the previous tick has exited and been reaped (a fixed
    /// wait was too short on a loaded machine: a tick that found the child still starting was lost).
    static func tick(_ scheduler: RecordingScheduler, at now: Date, store: ScheduleStore? = nil, id: String = "r1") async throws {
        try await Task.sleep(for: .milliseconds(150))
        if let store, let pid = try store.load().first(where: { $0.id == id })?.pid {
            let end = Date().addingTimeInterval(10)
            while kill(pid, 0) == 0, Date() < end { try await Task.sleep(for: .milliseconds(50)) }
        }
        await scheduler.tick(now: now)
    }

    @Test("a recorder that keeps dying is restarted with back-off, then given up with the reason; a refused command line fails at once")
    func restarts() async throws {
        let archive = Archive(path: TestFolder.make("scheduler"))
        try archive.prepare()
        let store = ScheduleStore(archive: archive)
        let start = Date()
        let recording = ScheduledRecording(id: "r1", title: "Rapat", source: "udp://127.0.0.1:9", start: start, end: start.addingTimeInterval(7200),
                                           preRoll: 0, overrun: 0, createdBy: "web:ada", createdAt: start)
        _ = try store.add(recording, agendaText: nil, now: start)
        // A script killed by a signal stands in for a siaran-media that crashes at once.
        let crashes = archive.root + "/crashes"
        try TestScript.write("#!/bin/sh\nkill -KILL $$\n", to: crashes)
        let scheduler = RecordingScheduler(archive: archive, mediaExecutable: crashes, logger: Logger(label: "test"))
        // (The schedule file keeps times to the millisecond: tick just after the start.)
        await scheduler.tick(now: start.addingTimeInterval(0.01))
        let first = try store.load()[0]
        #expect(first.state == .waiting && first.pid != nil, "\(first)")
        try await Self.tick(scheduler, at: start.addingTimeInterval(0.5), store: store)
        #expect(try store.load()[0].restarts == 1, "the death is noted")
        // The next start waits for the back-off (1 s after the first death, then 2, 4 … 30 s).
        try await Self.tick(scheduler, at: start.addingTimeInterval(0.6))
        #expect(try store.load()[0].pid == nil, "not restarted within its back-off")
        var now = start.addingTimeInterval(2)
        for _ in 0..<40 where try !store.load()[0].state.isOver {
            try await Self.tick(scheduler, at: now, store: store)
            now.addTimeInterval(31)
        }
        let gaveUp = try store.load()[0]
        #expect(gaveUp.state == .failed && gaveUp.restarts == RecordingScheduler.mostRestarts, "\(gaveUp)")
        #expect(gaveUp.reason?.contains("stopped 21 times, so it was not started again") == true, "\(gaveUp.reason ?? "")")

        // Exit 64 (ArgumentParser's refusal of a command line): failed at once, nothing restarted.
        let script = archive.root + "/refuses"
        try TestScript.write("#!/bin/sh\necho 'Error: bad option' >&2\nexit 64\n", to: script)
        let refused = ScheduledRecording(id: "r2", title: "Rapat", source: "udp://127.0.0.1:9", start: now, end: now.addingTimeInterval(600),
                                         preRoll: 0, overrun: 0, createdBy: nil, createdAt: now)
        _ = try store.add(refused, agendaText: nil, now: now)
        let strict = RecordingScheduler(archive: archive, mediaExecutable: script, logger: Logger(label: "test"))
        await strict.tick(now: now.addingTimeInterval(0.01))
        try await Self.tick(strict, at: now.addingTimeInterval(1), store: store, id: "r2")
        let second = try #require(try store.load().first { $0.id == "r2" })
        #expect(second.state == .failed && second.restarts == 0 && second.reason == "bad option", "\(second)")
    }

    /// A recording whose stand-in recorder exits with `status` (after `line` on stderr) at once, ticked
    /// for 20 s of schedule time.
    static func endedWith(status: Int, line: String) async throws -> ScheduledRecording {
        let archive = Archive(path: TestFolder.make("scheduler"))
        try archive.prepare()
        let store = ScheduleStore(archive: archive)
        let start = Date()
        let script = archive.root + "/recorder"
        try TestScript.write("#!/bin/sh\necho '\(line)' >&2\nexit \(status)\n", to: script)
        _ = try store.add(ScheduledRecording(id: "r", title: "Rapat", source: "https://127.0.0.1:9/vod.m3u8", start: start,
                                             end: start.addingTimeInterval(3600), preRoll: 0, overrun: 0, createdBy: nil, createdAt: start),
                          agendaText: nil, now: start)
        let scheduler = RecordingScheduler(archive: archive, mediaExecutable: script, logger: Logger(label: "test"))
        await scheduler.tick(now: start.addingTimeInterval(0.01))
        for second in 1...20 { try await tick(scheduler, at: start.addingTimeInterval(Double(second))) }
        return try store.load()[0]
    }

    @Test("a recorder whose source ended (exit 0) or was refused (exit 1) is not started again")
    func endedIsNotACrash() async throws {
        let ended = try await Self.endedWith(status: 0, line: "session closed: end of the source")
        #expect(ended.state.isOver && ended.restarts == 0 && ended.pid == nil, "\(ended)")
        #expect(ended.reason?.contains("the source ended") == true, "\(ended.reason ?? "")")
        let refused = try await Self.endedWith(status: 1, line: "error: no stream found at http://127.0.0.1:9/page: not a network address")
        #expect(refused.state == .failed && refused.restarts == 0 && refused.pid == nil, "\(refused)")
        #expect(refused.reason?.contains("not a network address") == true, "\(refused.reason ?? "")")
        let gaveUp = try await Self.endedWith(status: 3, line: "error: the source stayed unreachable")
        #expect(gaveUp.restarts > 0 && !gaveUp.state.isOver, "a recorder that gave up is started again while the window lasts: \(gaveUp)")
    }
}
