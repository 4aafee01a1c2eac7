import Foundation
import SiaranCore
#if canImport(Glibc)
import Glibc
#endif

/// `sessions/<id>/events.jsonl`: one JSON event per line, appended under an exclusive `flock` and
/// fsynced before `append` returns, so concurrent taggers never lose or interleave a tag.
public struct EventLog: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Appends `event` durably.
    public func append(_ event: SessionEvent) throws(ArchiveError) {
        let line: Data
        do { line = try JSONCoding.encoder(pretty: false).encode(event) } catch {
            throw .cannotEncode(path: path, reason: "cannot encode the event: \(error)")
        }
        try Self.appendLine(line, to: path)
    }

    /// Appends `events` durably in one write (a voice run's suggestions): all of them or none.
    public func append(contentsOf events: [SessionEvent]) throws(ArchiveError) {
        guard !events.isEmpty else { return }
        var lines = Data()
        do {
            let encoder = JSONCoding.encoder(pretty: false)
            for (index, event) in events.enumerated() {
                if index > 0 { lines.append(0x0A) }
                lines.append(try encoder.encode(event))
            }
        } catch {
            throw .cannotEncode(path: path, reason: "cannot encode the events: \(error)")
        }
        try Self.appendLine(lines, to: path)
    }

    /// Appends `line` and a newline to the file at `path` under an exclusive `flock`, fsynced, whole or not at all.
    static func appendLine(_ line: Data, to path: String) throws(ArchiveError) {
        var line = line
        line.append(0x0A)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw errno == ELOOP ? .notPlain(path: path, what: "a symbolic link") : .io(path: path, errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 { if errno != EINTR { throw .io(path: path, errno: errno) } }
        defer { flock(fd, LOCK_UN) }
        // A line left unterminated by a crash would swallow this one: start on a fresh line.
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, errno: errno) }
        if info.st_size > 0 {
            let reader = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            var last: UInt8 = 0x0A
            if reader >= 0 { _ = pread(reader, &last, 1, off_t(info.st_size - 1)); close(reader) }
            if last != 0x0A { line.insert(0x0A, at: 0) }
        }
        var failure = AtomicFile.writeAll(line, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if failure != 0 {
            // A tag line is written whole or not at all: cut off what a full disk let through.
            _ = ftruncate(fd, info.st_size)
            throw .io(path: path, errno: failure)
        }
    }

    /// A line that could not be read, and why.
    public struct BadLine: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    /// Every readable event in order, and the lines that are not events (reported, never fatal).
    public func read() -> (events: [SessionEvent], bad: [BadLine]) {
        guard let data = try? PlainFile.read(path) else { return ([], []) }
        let decoder = JSONCoding.decoder()
        var events: [SessionEvent] = []
        var bad: [BadLine] = []
        for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do { events.append(try decoder.decode(SessionEvent.self, from: Data(line))) } catch {
                bad.append(BadLine(line: number + 1, reason: "not a session event"))
            }
        }
        return (events, bad)
    }
}
