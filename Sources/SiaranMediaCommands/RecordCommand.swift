import ArgumentParser
import SiaranArchive
import SiaranCLI
import SiaranCore
import SiaranRecording

extension Record: MediaRunnable {
    public func runWithMedia() throws {
        var options = try segments.recordOptions(source: SourceAddress.normalize(url))
        options.headers = headers
        options.userAgent = userAgent
        options.wait = wait
        options.stopAfter = stopAfter
        options.listen = listen
        options.giveUpAfter = giveUpAfter
        options.readTimeout = stallTimeout
        options.waitOnDiskFull = onDiskFull == .wait
        options.quality = quality
        let result = try RecorderRun.run(options, archive: archive)
        _ = try? CatalogAccess.refreshed(Archive(path: archive.archive))
        if result.outcome == .sourceLost { throw ExitCode(3) }
    }
}
