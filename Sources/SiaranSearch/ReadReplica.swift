import Foundation

/// A read replica of a shared catalog (`--catalog-read`): searches read there while it answers and
/// keeps up with the primary, which takes every write (pushes, offices, shares).
public struct ReadReplica: Sendable, Equatable {
    /// The replica's connection URL (`postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`).
    public var url: String
    /// How far (seconds) the replica may trail the primary before searches go to the primary.
    public var maxLag: Double
    /// How often (seconds) the replica's state is looked at again: searches between two looks go
    /// where the last look said.
    public var checkInterval: Double

    public static let defaultMaxLag: Double = 30
    public static let defaultCheckInterval: Double = 10

    public init(url: String, maxLag: Double = ReadReplica.defaultMaxLag, checkInterval: Double = ReadReplica.defaultCheckInterval) {
        self.url = url
        self.maxLag = maxLag
        self.checkInterval = checkInterval
    }
}

/// A read replica as `siaran catalog status` shows it.
public struct ReadReplicaState: Sendable, Codable, Equatable {
    /// The replica's address, never its password.
    public var location: String
    /// Whether searches read there now.
    public var inUse: Bool
    /// How far it trails the primary (seconds), when it answered.
    public var lag: Double?
    /// Why searches go to the primary instead.
    public var reason: String?

    public init(location: String, inUse: Bool, lag: Double?, reason: String?) {
        self.location = location
        self.inUse = inUse
        self.lag = lag
        self.reason = reason
    }
}

/// An engine whose searches may read from a replica (`--catalog-read`).
public protocol ReadReplicaReporting: Sendable {
    /// The replica's state, looked at now; nil when searches have no replica.
    func readReplicaState() async throws -> ReadReplicaState?
}
