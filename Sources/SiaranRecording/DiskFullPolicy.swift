import Foundation
import Logging
import SiaranMedia

/// What a full disk does to a recording: `--on-disk-full stop` (the default) closes the session with
/// every finished segment kept; `wait` drops the segment being written, waits until there is room for
/// a few more segments like the ones so far, and resumes (the recorder records the pause as a gap).
struct DiskFullPolicy {
    let waitForSpace: Bool
    let stop: StopControl
    let logger: Logger

    /// Whether `error` is one this policy waits out (otherwise recording stops).
    func waitsOut(_ error: MediaError) -> Bool {
        guard waitForSpace, case .diskFull = error else { return false }
        return true
    }

    /// Blocks until `folder` has room for a few segments of `averageSegmentBytes` (at least 1 MB), or a stop.
    func waitForRoom(in folder: String, averageSegmentBytes: Int64) {
        logger.warning("the disk is full; waiting for free space to resume recording (the gap will be recorded)")
        let needed = max(4 * averageSegmentBytes, 1_000_000)
        while stop.level == 0 && Self.freeBytes(folder) < needed {
            stop.sleep(1)
        }
        logger.info("free space is back; resuming")
    }

    static func freeBytes(_ path: String) -> Int64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
