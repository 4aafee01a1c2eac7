import Foundation

/// SQL typed by hand against the test cluster, as an office's staff could with `psql` and their
/// role's credentials: what row-level security must hold against.
extension PostgresTestCluster {
    /// A new login role of the cluster (trust authentication: no password), unique to this call.
    public static func newRole(_ prefix: String) throws -> String {
        let cluster = try shared.get()
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(8)
        _ = try sql("postgres://postgres@127.0.0.1:\(cluster.port)/postgres", "CREATE ROLE \(name) LOGIN")
        return name
    }

    /// The same database as `url`, logged in as `role`.
    public static func url(_ url: String, as role: String) -> String {
        url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://\(role)@")
    }

    /// Runs `statement` with psql; its unaligned output, or an error holding psql's message.
    @discardableResult
    public static func sql(_ url: String, _ statement: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin + "/psql")
        process.arguments = ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", statement]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterError(description: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
