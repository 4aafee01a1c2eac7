import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `siaran-media`, the executable that holds the libav-linked commands, found beside this one.
enum MediaExecutable {
    static let name = "siaran-media"

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "this command needs \(name), which is missing at \(path); it is built with siaran by `swift build` (or `swift build -c release`) — install both side by side"
        }
    }

    /// The path of `siaran-media` in the folder of the running executable (symbolic links followed).
    static func path() throws -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = (me as NSString).deletingLastPathComponent + "/" + name
        guard FileManager.default.isExecutableFile(atPath: candidate) else { throw Missing(path: candidate) }
        return candidate
    }

    /// The commands `siaran-media` runs.
    static let commands: Set<String> = ["record", "import", "captions", "transcribe", "clip", "thumbnail", "recover", "demo"]

    /// Hands a media command to `siaran-media` before anything else is done here (parsing included:
    /// `siaran-media` parses the same arguments). Returns when it is not a media command, or when
    /// `siaran-media` is missing (the command then explains that when it runs).
    static func handOffEarly() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, commands.contains(first), let path = try? path() else { return }
        execute(path, arguments)
    }

    /// Replaces this process with `siaran-media ARGUMENTS`.
    static func exec(arguments: [String]) throws -> Never {
        let path = try path()
        execute(path, arguments)
        throw Missing(path: path + " (\(String(cString: strerror(errno))))")
    }

    /// `execv`: returns only when it failed (errno says why).
    private static func execute(_ path: String, _ arguments: [String]) {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
    }

    /// Runs `siaran-media ARGUMENTS` to its end; returns its exit status and standard output.
    static func run(arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
