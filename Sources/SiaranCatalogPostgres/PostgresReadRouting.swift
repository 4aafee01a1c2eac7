import Foundation
import Logging
import PostgresNIO
import SiaranSearch
import Synchronization

/// Where a shared catalog's searches are read (`--catalog-read`): a PostgreSQL streaming replica
/// (a hot standby) while it answers and trails the primary by at most `ReadReplica.maxLag`, the
/// primary otherwise. Pushes and every other write stay on the primary.
///
/// The replica's state is looked at no more than every `checkInterval` seconds, on a connection of
/// its own, by the first search after the interval; searches in between go where the last look
/// said. A look asks the standby how far its replay trails what it has received
/// (`now() - pg_last_xact_replay_timestamp()` while `pg_last_wal_receive_lsn()` is ahead of
/// `pg_last_wal_replay_lsn()`; 0 when it has replayed everything it received; 0.2 s when it does so
/// within 0.2 s, as during a long push whose commit has not come yet). A search that fails
/// on the replica (cut connection, recovery conflict, or no answer within `ReadReplica.deadline`,
/// 2 s: whether the connection is slow to come or a query hangs after it) is asked again of the
/// primary, and the replica is left alone until the next look. A query stuck past the deadline is cut
/// on both ends: its connection is closed (so the pool drops it) and the replica's connections carry
/// that deadline as `statement_timeout`. Each change of server is logged once, never with a password.
///
/// Row-level security decides on the replica as on the primary: the roles, policies and shares are
/// replicated, and a viewer's office is set on the connection as on the primary (`set_config(…, false)`,
/// which a hot standby allows), once while the connection keeps serving that office. A search's
/// questions share one replica connection (`PostgresCatalog.searchTogether`).
///
/// One routing serves every catalog an engine opens (`PostgresCatalogEngine`), so a server keeps one
/// pool of replica connections and one state.
public final class PostgresReadRouting: Sendable {
    public enum Server: String, Sendable { case replica, primary }

    public let replica: ReadReplica
    /// The replica's URL without its password (for messages).
    public let location: String
    /// How long a search may take on the replica before the primary is asked (`ReadReplica.deadline`);
    /// also the bound on a look at the replica's state.
    public var deadline: Double { replica.deadline }
    /// How long a look waits to see a standby that seems behind replay what it had received.
    static let settleTime: Double = 0.2
    let client: PostgresClient
    let configuration: PostgresConnection.Configuration
    let logger: Logger
    private let running: Task<Void, Never>
    private let state = Mutex(State())
    /// The view each replica connection was last given (`PostgresCatalog.view(as:on:call:views:)`).
    let views = ConnectionViews()
    let replicaAnswers = Atomic<Int>(0)
    private let primaryAnswers = Atomic<Int>(0)

    private struct State {
        /// nil until the first look.
        var useReplica: Bool?
        var lookedAt: ContinuousClock.Instant?
        var looking = false
    }

    public init(_ replica: ReadReplica, logger: Logger = Logger(label: "siaran.catalog")) throws(PostgresCatalogError) {
        let target = try ConnectionURL(replica.url)
        self.replica = replica
        location = target.description
        self.logger = logger
        var configuration = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                            password: target.password, database: target.database, tls: .disable)
        let connectTimeout = Duration.milliseconds(Int64(replica.deadline * 1000))
        configuration.options.connectTimeout = .milliseconds(Int64(replica.deadline * 1000))
        configuration.options.additionalStartupParameters = ConnectionURL.statementTimeout(replica.deadline)
        self.configuration = configuration
        let client = target.pool(connectTimeout: connectTimeout, statementTimeout: replica.deadline, logger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// How many searches (a search's questions together, or one call: suggestions, names) each server answered.
    public func answers(from server: Server) -> Int {
        server == .replica ? replicaAnswers.load(ordering: .relaxed) : primaryAnswers.load(ordering: .relaxed)
    }

    /// Where the next search goes: the last look's answer, or a new look when the last is older than
    /// `checkInterval` (one look at a time; searches meanwhile go where the last look said, to the
    /// primary before the first).
    public func nextServer() async -> Server {
        let now = ContinuousClock.now
        let (look, current) = state.withLock { state -> (Bool, Bool) in
            let due = !state.looking && (state.lookedAt.map { now - $0 >= .milliseconds(Int64(replica.checkInterval * 1000)) } ?? true)
            if due { state.looking = true }
            return (due, state.useReplica ?? false)
        }
        guard look else { return current ? .replica : .primary }
        let verdict = await self.look()
        // A look cut short by its search's cancellation says nothing about the replica.
        if Task.isCancelled {
            state.withLock { $0.looking = false }
            return .primary
        }
        settle(useReplica: verdict.lag.map { $0 <= replica.maxLag } ?? false, lag: verdict.lag, reason: verdict.reason, looked: true)
        return state.withLock { $0.useReplica ?? false } ? .replica : .primary
    }

    /// The replica's state, looked at now (as `siaran catalog status` shows it).
    public func lookNow() async -> ReadReplicaState {
        let verdict = await look()
        let inUse = verdict.lag.map { $0 <= replica.maxLag } ?? false
        settle(useReplica: inUse, lag: verdict.lag, reason: verdict.reason, looked: true)
        return ReadReplicaState(location: location, inUse: inUse, lag: verdict.lag.flatMap { $0.isFinite ? $0 : nil }, reason: verdict.reason)
    }

    /// Records where searches go now, logging a change once.
    private func settle(useReplica: Bool, lag: Double?, reason: String?, looked: Bool) {
        let before = state.withLock { state -> Bool? in
            let before = state.useReplica
            state.useReplica = useReplica
            if looked {
                state.looking = false
                state.lookedAt = .now
            }
            return before
        }
        guard before != useReplica else { return }
        if useReplica {
            let trail = lag.map { String(format: "%.1f s", $0) } ?? "?"
            logger.notice("searches read from the replica \(location)\(before == nil ? "" : " again") (it trails the primary by \(trail))")
        } else {
            logger.warning("""
                searches go to the primary: the replica \(location) \(reason ?? "is out of use"); \
                they go back to it when it recovers (looked at every \(Self.seconds(replica.checkInterval)))
                """)
        }
    }

    /// The replica's lag in seconds, or why it cannot be used.
    private func look() async -> (lag: Double?, reason: String?) {
        let configuration = configuration, logger = logger, deadline = deadline
        do {
            let lag = try await Self.within(deadline) { () async throws -> Double? in
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                defer { Task { try? await connection.close() } }
                // A look given up at the deadline closes its connection, which ends a query stuck on it.
                return try await withTaskCancellationHandler { try await Self.lag(on: connection, logger: logger) } onCancel: {
                    let closing: EventLoopFuture<Void> = connection.close()
                    closing.whenComplete { _ in }
                }
            }
            guard let lag else { return (nil, "answered no lag") }
            guard lag <= replica.maxLag else {
                return (lag, "trails the primary by \(lag.isFinite ? Self.seconds(lag) : "an unknown time"), more than the \(Self.seconds(replica.maxLag)) allowed (--replica-max-lag)")
            }
            return (lag, nil)
        } catch is DeadlinePassed {
            return (nil, "does not answer within \(Self.seconds(deadline))")
        } catch {
            return (nil, "does not answer (\(PostgresCatalogError.explain(error)))")
        }
    }

    /// How far the standby on `connection` trails what it has received (see the type's comment).
    private static func lag(on connection: PostgresConnection, logger: Logger) async throws -> Double? {
        var lag: Double?, received = ""
        let rows = try await connection.query("""
            SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() IS NULL
                             OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END,
                   coalesce(pg_last_wal_receive_lsn()::text, '')
            """, logger: logger)
        for try await (value, lsn) in rows.decode((Double?, String).self) { (lag, received) = (value ?? Double.infinity, lsn) }
        // Behind by the time since its last replayed commit, which overstates it while a long
        // transaction (a push's batch) streams in: a standby that replays, within `settleTime`, all
        // it had received trails by no more than that.
        guard let behind = lag, behind > Self.settleTime, !received.isEmpty else { return lag }
        try await Task.sleep(for: .milliseconds(Int64(Self.settleTime * 1000)))
        let again = try await connection.query("SELECT pg_last_wal_replay_lsn() >= \(received)::pg_lsn", logger: logger)
        for try await caughtUp in again.decode(Bool.self) where caughtUp { lag = Self.settleTime }
        return lag
    }

    /// A search the replica failed: the primary answers it, and the replica is out of use until the next look.
    func failed(_ call: String, _ error: any Error) {
        let reason = error is DeadlinePassed ? "did not answer a search within \(Self.seconds(deadline))"
            : "failed a search (\(call): \(PostgresCatalogError.explain(error)))"
        settle(useReplica: false, lag: nil, reason: reason, looked: false)
    }

    func answeredByPrimary() { primaryAnswers.add(1, ordering: .relaxed) }

    struct DeadlinePassed: Error {}

    /// `body`'s value, or `DeadlinePassed` after `seconds` (or `CancellationError` when the caller is
    /// cancelled), then without waiting for `body`: it is cancelled and left to end on its own, as a
    /// PostgreSQL query ignores cancellation (`body` closes its connection when cancelled).
    static func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, Task { do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) } })
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    race.finish(.failure(DeadlinePassed()))
                }
            }
        } onCancel: { race.finish(.failure(CancellationError())) }
    }

    /// The first of a body's end, its deadline and its caller's cancellation (`within`).
    final class Race<T: Sendable>: Sendable {
        private let state = Mutex<(waiting: CheckedContinuation<T, any Error>?, work: Task<Void, Never>?, early: Result<T, any Error>?)>((nil, nil, nil))

        func start(_ continuation: CheckedContinuation<T, any Error>, _ work: Task<Void, Never>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                state.work = work
                guard let early = state.early else { state.waiting = continuation; return nil }
                return early
            }
            if let early {
                work.cancel()
                continuation.resume(with: early)
            }
        }

        func finish(_ result: Result<T, any Error>) {
            let (waiting, work) = state.withLock { state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
                guard let waiting = state.waiting else {
                    // Before `start` (the body done at once, or the caller cancelled): kept for it.
                    if state.work == nil && state.early == nil { state.early = result }
                    return (nil, nil)
                }
                state.waiting = nil
                return (waiting, state.work)
            }
            guard let waiting else { return }
            work?.cancel()
            waiting.resume(with: result)
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

extension PostgresCatalogEngine: ReadReplicaReporting {
    public func readReplicaState() async throws -> ReadReplicaState? {
        guard let routing = try sharedRouting() else { return nil }
        return await routing.lookNow()
    }

    public func searchesAnswered() -> (replica: Int, primary: Int)? {
        guard let routing = try? sharedRouting() else { return nil }
        return (routing.answers(from: .replica), routing.answers(from: .primary))
    }
}
