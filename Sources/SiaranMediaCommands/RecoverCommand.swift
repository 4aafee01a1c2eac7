import Foundation
import SiaranArchive
import SiaranCLI
import SiaranMedia
import SiaranRecording

extension ArchiveOptions: ArchiveRecovering {
    public func recoverAbandoned(_ archive: Archive, console: Console) {
        LibavLogging.configure()
        let result = Recovery.recoverAbandoned(in: archive)
        for report in result.recovered { console.warn(report.summary) }
        for failure in result.failed { console.warn(failure.description) }
    }
}

extension Recover: MediaRunnable {
    public func runWithMedia() throws {
        LibavLogging.configure()
        let archive = Archive(path: self.archive.archive)
        let result = Recovery.recoverAbandoned(in: archive, retryFailed: !automatic)
        if result.recovered.isEmpty && result.failed.isEmpty { print("nothing to recover in \(archive.root)") }
        for report in result.recovered { print(report.summary) }
        for failure in result.failed { print(failure.description) }
    }
}
