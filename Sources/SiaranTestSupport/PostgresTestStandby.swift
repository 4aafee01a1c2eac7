import Foundation

/// A streaming replica of a test cluster, as a national archive runs one: `pg_basebackup -R` from the
/// primary, a hot standby on another loopback port. Replay can be paused to make it lag.
extension PostgresTestCluster {
    /// A new hot standby of this cluster, streaming from it (deleted with `stop()` or the process's exit).
    /// A test that stops or pauses it should use an `isolated()` primary.
    public func standby() throws(ClusterError) -> PostgresTestCluster {
        try PostgresTestCluster(standbyOf: self)
    }

    /// `url` (a database of the primary) on this cluster's port: the same database on its standby.
    public func sameDatabase(as url: String) -> String {
        guard var parts = URLComponents(string: url) else { return url }
        parts.port = port
        return parts.string ?? url
    }

    /// Stops (true) or resumes (false) replaying the primary's changes: the standby keeps receiving
    /// them and falls behind.
    public func pauseReplay(_ paused: Bool) throws {
        try Self.sql("postgres://postgres@127.0.0.1:\(port)/postgres", paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()")
    }

    /// Waits until the standby has replayed everything the primary had written when called.
    public func catchUp(with primary: PostgresTestCluster, within seconds: Double = 10) throws {
        let target = try Self.sql("postgres://postgres@127.0.0.1:\(primary.port)/postgres", "SELECT pg_current_wal_lsn()")
        let until = Date(timeIntervalSinceNow: seconds)
        while Date() < until {
            let caught = try Self.sql("postgres://postgres@127.0.0.1:\(port)/postgres", "SELECT pg_last_wal_replay_lsn() >= '\(target)'::pg_lsn")
            if caught == "t" { return }
            usleep(50_000)
        }
        throw ClusterError(description: "the standby on port \(port) did not replay the primary's WAL up to \(target) within \(Int(seconds)) s")
    }
}
