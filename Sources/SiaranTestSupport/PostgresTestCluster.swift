import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for one test process: Debian's PostgreSQL 15 initialised into a
/// temporary folder, listening on loopback only (trust authentication), started on first use and
/// stopped and deleted when the process exits. Suites share it; each test gets a database of its own.
///
/// As root (CI, the machines here), `initdb` and the server run as the `postgres` OS user, which owns
/// the folder. Tests that need it fail with the reason when PostgreSQL is not installed (`Scripts/setup`).
public final class PostgresTestCluster: Sendable {
    public let port: Int
    public let folder: String
    let socketFolder: String
    static let bin = ProcessInfo.processInfo.environment["SIARAN_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"

    /// The process's cluster (started on first use).
    public static let shared: Result<PostgresTestCluster, ClusterError> = Result(catching: { () throws(ClusterError) -> PostgresTestCluster in try PostgresTestCluster() })

    public struct ClusterError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A new empty database of the shared cluster, as a connection URL.
    public static func newDatabase() throws -> String {
        let cluster = try shared.get()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try cluster.run(bin + "/createdb", ["-h", "127.0.0.1", "-p", "\(cluster.port)", "-U", "postgres", String(name)])
        return "postgres://postgres@127.0.0.1:\(cluster.port)/\(name)"
    }

    /// A cluster of the test's own (not the shared one), for a test that restarts or stops PostgreSQL;
    /// `stop()` deletes it (so does the process's exit).
    public static func isolated() throws(ClusterError) -> PostgresTestCluster { try PostgresTestCluster() }

    /// A new empty database of this cluster, as a connection URL.
    public func newDatabase() throws(ClusterError) -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try run(Self.bin + "/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", String(name)])
        return "postgres://postgres@127.0.0.1:\(port)/\(name)"
    }

    /// Restarts the server as an operator would (fast shutdown: every connection is cut), on the same port.
    public func restart() throws(ClusterError) {
        try run(Self.bin + "/pg_ctl", ["-D", folder + "/data", "-m", "fast", "-l", folder + "/server.log", "-w", "-t", "60", "restart"])
    }

    /// Stops the server, keeping the cluster (`start()` brings it back on the same port): a catalog
    /// out of reach.
    public func pause() throws(ClusterError) {
        try run(Self.bin + "/pg_ctl", ["-D", folder + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Starts the server again after `pause()`.
    public func start() throws(ClusterError) {
        try run(Self.bin + "/pg_ctl", ["-D", folder + "/data", "-o", Self.options(port: port, socketFolder: socketFolder), "-l", folder + "/server.log",
                                       "-w", "-t", "60", "start"])
    }

    static func options(port: Int, socketFolder: String) -> String {
        "-p \(port) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off "
            + "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB"
    }

    /// Stops the server and deletes the cluster.
    public func stop() { Self.stop(folder: folder) }

    private init() throws(ClusterError) {
        guard FileManager.default.isExecutableFile(atPath: Self.bin + "/initdb") else {
            throw ClusterError(description: "PostgreSQL 15 is not installed (\(Self.bin)/initdb); run Scripts/setup")
        }
        Self.removeAbandoned()
        folder = NSTemporaryDirectory() + "siaran-pg-\(getpid())-\(UUID().uuidString.prefix(6))"
        socketFolder = folder + "/socket"
        port = TestPort.free()
        do {
            try FileManager.default.createDirectory(atPath: socketFolder, withIntermediateDirectories: true)
            if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", folder], asSelf: true) }
            try run(Self.bin + "/initdb", ["-D", folder + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
            let options = Self.options(port: port, socketFolder: socketFolder)
            try run(Self.bin + "/pg_ctl", ["-D", folder + "/data", "-o", options, "-l", folder + "/server.log", "-w", "-t", "60", "start"])
        } catch {
            Self.stop(folder: folder)
            throw ClusterError(description: "could not start a test PostgreSQL: \(error)")
        }
        Self.started.withLock { $0.append(folder) }
        atexit { PostgresTestCluster.stopStarted() }
    }

    /// A hot standby of `primary` on a port of its own: `pg_basebackup -R` (its settings say where to
    /// stream from), started read-only; see `standby()`.
    init(standbyOf primary: PostgresTestCluster) throws(ClusterError) {
        folder = NSTemporaryDirectory() + "siaran-pg-\(getpid())-\(UUID().uuidString.prefix(6))"
        socketFolder = folder + "/socket"
        port = TestPort.free()
        do {
            try FileManager.default.createDirectory(atPath: socketFolder, withIntermediateDirectories: true)
            if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", folder], asSelf: true) }
            try run(Self.bin + "/pg_basebackup", ["-h", "127.0.0.1", "-p", "\(primary.port)", "-U", "postgres", "-D", folder + "/data",
                                                  "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"])
            try start()
        } catch {
            Self.stop(folder: folder)
            throw ClusterError(description: "could not start a test PostgreSQL standby: \(error)")
        }
        Self.started.withLock { $0.append(folder) }
    }

    private static let started = Mutex<[String]>([])

    private static func stopStarted() {
        for folder in started.withLock({ folders in defer { folders = [] }; return folders }) { stop(folder: folder) }
    }

    private static func stop(folder: String) {
        let asPostgres = getuid() == 0 ? "runuser -u postgres -- " : ""
        _ = system("\(asPostgres)\(bin)/pg_ctl -D '\(folder)/data' -m immediate -w stop >/dev/null 2>&1; rm -rf '\(folder)'")
    }

    /// Stops and deletes the clusters of test processes that died without their exit handler.
    private static func removeAbandoned() {
        let temporary = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix("siaran-pg-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 4, let pid = Int32(parts[2]), pid != getpid(), kill(pid, 0) != 0 && errno == ESRCH else { continue }
            stop(folder: temporary + name)
        }
    }

    /// Runs a PostgreSQL program (as the `postgres` user when root); throws with its output when it fails.
    /// Spawned and waited for with posix_spawn/waitpid: Foundation's `Process` missed the exit of
    /// `pg_ctl start` (whose server lives on).
    func run(_ program: String, _ arguments: [String], asSelf: Bool = false) throws(ClusterError) {
        let argv = getuid() == 0 && !asSelf ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        let log = NSTemporaryDirectory() + "siaran-pg-run-\(UUID().uuidString.prefix(8)).log"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw ClusterError(description: "\(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0 && (status >> 8) & 0xff == 0
        guard exited else {
            let output = FileManager.default.contents(atPath: log) ?? Data()
            throw ClusterError(description: "\((program as NSString).lastPathComponent) failed: " + String(decoding: output, as: UTF8.self))
        }
    }
}
