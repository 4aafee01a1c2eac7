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
