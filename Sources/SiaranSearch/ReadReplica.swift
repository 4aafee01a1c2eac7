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
    /// How long (seconds) a search may take on the replica, from asking for a connection to its last
    /// answer, before it is given up there and asked of the primary; also the bound on a look.
    public var deadline: Double

    public static let defaultMaxLag: Double = 30
    public static let defaultCheckInterval: Double = 10
    public static let defaultDeadline: Double = 2

    public init(url: String, maxLag: Double = ReadReplica.defaultMaxLag, checkInterval: Double = ReadReplica.defaultCheckInterval,
                deadline: Double = ReadReplica.defaultDeadline) {
        self.url = url
        self.maxLag = maxLag
        self.checkInterval = checkInterval
        self.deadline = deadline
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
    /// How many searches the replica and the primary answered in this process (nil without a replica).
    func searchesAnswered() -> (replica: Int, primary: Int)?
}
