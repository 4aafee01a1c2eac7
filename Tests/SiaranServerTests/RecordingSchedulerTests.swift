import Foundation
import Logging
import SiaranArchive
@testable import SiaranServer
import Testing

@Suite("The recording scheduler's restarts")
struct RecordingSchedulerTests {
    /// Ticks at `now` once the child started by the previous tick has exited.
    static func tick(_ scheduler: RecordingScheduler, at now: Date) async throws {
        try await Task.sleep(for: .milliseconds(150))
        await scheduler.tick(now: now)
    }

    @Test("a recorder that keeps dying is restarted with back-off, then given up with the reason; a refused command line fails at once")
    func restarts() async throws {
        let archive = Archive(path: NSTemporaryDirectory() + "scheduler-\(UUID().uuidString.prefix(8))")
        try archive.prepare()
        let store = ScheduleStore(archive: archive)
        let start = Date()
        let recording = ScheduledRecording(id: "r1", title: "Rapat", source: "udp://127.0.0.1:9", start: start, end: start.addingTimeInterval(7200),
                                           preRoll: 0, overrun: 0, createdBy: "web:ada", createdAt: start)
        _ = try store.add(recording, agendaText: nil, now: start)
        // `false` stands in for a siaran-media that dies at once (exit 1).
        let scheduler = RecordingScheduler(archive: archive, mediaExecutable: "/bin/false", logger: Logger(label: "test"))
        // (The schedule file keeps times to the millisecond: tick just after the start.)
        await scheduler.tick(now: start.addingTimeInterval(0.01))
        let first = try store.load()[0]
        #expect(first.state == .waiting && first.pid != nil, "\(first)")
        try await Self.tick(scheduler, at: start.addingTimeInterval(0.5))
        #expect(try store.load()[0].restarts == 1, "the death is noted")
        // The next start waits for the back-off (1 s after the first death, then 2, 4 … 30 s).
        try await Self.tick(scheduler, at: start.addingTimeInterval(0.6))
        #expect(try store.load()[0].pid == nil, "not restarted within its back-off")
        var now = start.addingTimeInterval(2)
        for _ in 0..<40 where try !store.load()[0].state.isOver {
            try await Self.tick(scheduler, at: now)
            now.addTimeInterval(31)
        }
        let gaveUp = try store.load()[0]
        #expect(gaveUp.state == .failed && gaveUp.restarts == RecordingScheduler.mostRestarts, "\(gaveUp)")
        #expect(gaveUp.reason?.contains("stopped 21 times, so it was not started again") == true, "\(gaveUp.reason ?? "")")

        // Exit 64 (ArgumentParser's refusal of a command line): failed at once, nothing restarted.
        let script = archive.root + "/refuses"
        try "#!/bin/sh\necho 'Error: bad option' >&2\nexit 64\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let refused = ScheduledRecording(id: "r2", title: "Rapat", source: "udp://127.0.0.1:9", start: now, end: now.addingTimeInterval(600),
                                         preRoll: 0, overrun: 0, createdBy: nil, createdAt: now)
        _ = try store.add(refused, agendaText: nil, now: now)
        let strict = RecordingScheduler(archive: archive, mediaExecutable: script, logger: Logger(label: "test"))
        await strict.tick(now: now.addingTimeInterval(0.01))
        try await Self.tick(strict, at: now.addingTimeInterval(1))
        let second = try #require(try store.load().first { $0.id == "r2" })
        #expect(second.state == .failed && second.restarts == 0 && second.reason == "bad option", "\(second)")
    }
}
