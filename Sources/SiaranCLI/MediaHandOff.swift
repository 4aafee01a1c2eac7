import ArgumentParser
import Foundation
import SiaranCore

// The commands that read or write media. They are declared here, so that `siaran --help` and argument
// checking are the same in both executables, and run in `siaran-media`, the executable linked with
// libav: `siaran` itself stays free of libav (whose ~150 shared libraries take 50–100 ms to load), so
// that search, tag, show and the other archive commands start in a few milliseconds.

/// Implemented by `siaran-media` for each media command.
public protocol MediaRunnable {
    func runWithMedia() throws
}

extension ParsableCommand {
    /// Runs a media command: here when this executable has libav, else by handing the whole command
    /// line to `siaran-media` (same process id, signals, terminal and exit status).
    func handOffToMedia() throws {
        if let runnable = self as? MediaRunnable { return try runnable.runWithMedia() }
        try SiblingExecutable.media.exec(arguments: Array(CommandLine.arguments.dropFirst()))
    }
}
