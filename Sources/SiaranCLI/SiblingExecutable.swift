import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An executable built beside `siaran` that runs some of its commands: `siaran-media` (linked with
/// libav) and `siaran-serve` (linked with NIO), so that `siaran` itself loads neither.
struct SiblingExecutable: Sendable {
    let name: String
    /// The commands it runs.
    let commands: Set<String>

    static let media = SiblingExecutable(name: "siaran-media",
                                         commands: ["record", "import", "captions", "transcribe", "clip", "thumbnail", "recover", "demo"])
    static let server = SiblingExecutable(name: "siaran-serve", commands: ["serve"])
    /// `siaran` itself, for `siaran-media`: it runs the shared-catalog commands (it links postgres-nio).
    static let main = SiblingExecutable(name: "siaran", commands: [])

    struct Missing: Error, CustomStringConvertible {
        var name: String
        var path: String
        var description: String {
            "this command needs \(name), which is missing at \(path); it is built with siaran by `swift build` (or `swift build -c release`) — install them side by side"
        }
    }

    /// Its path in the folder of the running executable (symbolic links followed).
    func path() throws -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = (me as NSString).deletingLastPathComponent + "/" + name
        guard FileManager.default.isExecutableFile(atPath: candidate) else { throw Missing(name: name, path: candidate) }
        return candidate
    }

    /// Hands a media or server command to its executable before anything else is done here (parsing
    /// included: it parses the same arguments). Returns when it is neither, or when that executable is
    /// missing (the command then explains that when it runs).
    static func handOffEarly() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first else { return }
        for sibling in [media, server] where sibling.commands.contains(first) {
            guard let path = try? sibling.path() else { return }
            execute(path, arguments)
        }
    }

    /// Replaces this process with `NAME ARGUMENTS`.
    func exec(arguments: [String]) throws -> Never {
        let path = try path()
        Self.execute(path, arguments)
        throw Missing(name: name, path: path + " (\(String(cString: strerror(errno))))")
    }

    /// `execv`: returns only when it failed (errno says why).
    private static func execute(_ path: String, _ arguments: [String]) {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
    }

    /// Runs `NAME ARGUMENTS` to its end; returns its exit status and standard output.
    func run(arguments: [String]) throws -> (status: Int32, output: String) {
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
