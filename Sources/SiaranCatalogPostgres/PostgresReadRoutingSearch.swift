import PostgresNIO
import SiaranSearch
import Synchronization

// Searches on the replica: one pooled connection per search (all its questions, as on the primary with
// `SearchIndex.together`), its office view set on the connection once while it serves that office; a
// search the replica fails is asked of the primary at once.
extension PostgresReadRouting {
    /// Runs `body` on a pooled replica connection, failing with `DeadlinePassed` when `body` has not
    /// answered within `deadline` of asking for the connection (whether the connection is slow to
    /// come or a query hangs after it: a recovery conflict, a network black hole). A connection whose
    /// query is given up is closed, so the pool drops it and the hung query fails here at once; the
    /// calls `body` makes through `expiry` (`PostgresConnectedCatalog`) end then too, and later ones are
    /// refused, so nothing is sent on the closed connection (PostgresNIO would never answer it).
    /// Counts an answer.
    func leased<T: Sendable>(_ body: (PostgresConnection, Expiry) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        let (handed, hand) = AsyncStream.makeStream(of: PostgresConnection.self)
        let (released, release) = AsyncStream.makeStream(of: Never.self)
        let client = client
        // The lease is held by a task of its own until `body` is done, so that waiting for it can be
        // bounded while `body` itself runs here (it need not be sendable).
        let holder = Task {
            defer { hand.finish() }
            try await client.withConnection { connection in
                hand.yield(connection)
                for await _ in released {}
            }
        }
        defer { release.finish() }
        let first: PostgresConnection?
        do {
            first = try await Self.within(deadline) { () async -> PostgresConnection? in
                var waiting = handed.makeAsyncIterator()
                return await waiting.next()
            }
        } catch {
            holder.cancel()
            throw error
        }
        guard let connection = first else {
            // The pool gave no connection (it failed to connect), or this search was given up.
            holder.cancel()
            try await holder.value
            throw CancellationError()
        }
        // Past the deadline the connection is closed: a query waiting on it fails at once, and the pool
        // drops it (the replica's `statement_timeout` ends the query on the server's side).
        let expired = Expiry()
        let watchdog = Task { [deadline] in
            try? await Task.sleep(until: asked + .milliseconds(Int64(deadline * 1000)))
            guard !Task.isCancelled else { return }
            expired.expire()
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
        }
        defer { watchdog.cancel() }
        let value: T
        do {
            value = try await body(connection, expired)
        } catch {
            throw expired.passed.load(ordering: .sequentiallyConsistent) ? DeadlinePassed() : error
        }
        // An answer made of calls that failed on the closed connection (and were got over) is not the replica's.
        if expired.passed.load(ordering: .sequentiallyConsistent) { throw DeadlinePassed() }
        replicaAnswers.add(1, ordering: .relaxed)
        return value
    }

    /// One search call on a replica connection, as `viewer` sees (nil: the role's own view).
    func run<T: Sendable>(_ call: String, viewer: String?, catalog: PostgresCatalog,
                          _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await leased { connection, _ in
            try await catalog.view(as: viewer, on: connection, call: call, views: views)
            return try await body(connection)
        }
    }
}

extension PostgresCatalog {
    /// The primary's schema first: a replica holds it once replicated.
    private func primaryReady() async throws(PostgresCatalogError) {
        do { _ = try await ready.value } catch let error as PostgresCatalogError { throw error } catch {
            throw PostgresCatalogError(.cannotOpen, location: location, call: "open", underlying: error)
        }
    }

    /// Runs a search call where the routing sends it: the replica when there is one and it is in use,
    /// else (or when it fails) the primary. `viewer`: the office whose view the call is narrowed to.
    func searching<T: Sendable>(_ call: String, viewer: String?,
                                _ body: (PostgresConnection) async throws -> T) async throws(PostgresCatalogError) -> T {
        if let routing {
            try await primaryReady()
            if await routing.nextServer() == .replica {
                do {
                    return try await routing.run(call, viewer: viewer, catalog: self, body)
                } catch {
                    // A search given up by its caller (a closed page) says nothing about the replica.
                    if Task.isCancelled { throw PostgresCatalogError(.cannotRead, location: routing.location, call: call, underlying: error) }
                    routing.failed(call, error)
                }
            }
            routing.answeredByPrimary()
        }
        if let viewer { return try await viewing(viewer, call, body) }
        return try await read(call, body)
    }

    /// A search's questions (`SearchIndex.together`) on one connection of the server the routing
    /// sends it to: 2–3 statements on the replica as on the primary. A failure of the replica (no
    /// connection within the deadline, or any of its calls failing) sends the whole search to the
    /// primary; what `body` throws of its own (an unknown filter value) reaches the caller as it is.
    func searchTogether<T: Sendable>(_ routing: PostgresReadRouting, viewer: String?,
                                     _ body: (any SearchIndex) async throws -> T) async throws -> T {
        try await primaryReady()
        if await routing.nextServer() == .replica {
            let failure = CallFailure()
            var started = false
            do {
                let value = try await routing.leased { connection, expiry in
                    started = true
                    return try await body(PostgresConnectedCatalog(catalog: self, connection: connection, viewer: viewer,
                                                                   views: routing.views, failure: failure, expiry: expiry))
                }
                // A call that failed but whose failure the search got over is still the replica's failure.
                guard let error = failure.error else { return value }
                routing.failed("search", error)
            } catch {
                if Task.isCancelled { throw PostgresCatalogError(.cannotRead, location: routing.location, call: "search", underlying: error) }
                guard !started || failure.error != nil || error is PostgresReadRouting.DeadlinePassed else { throw error }
                routing.failed("search", error is PostgresReadRouting.DeadlinePassed ? error : failure.error ?? error)
            }
        }
        routing.answeredByPrimary()
        return try await together(viewer) { c in try await body(PostgresConnectedCatalog(catalog: self, connection: c, viewer: viewer)) }
    }
}

/// A replica search's deadline (`PostgresReadRouting.leased`): once it passes, the calls waiting on
/// its connection end with `DeadlinePassed` and later ones are refused, whatever their queries do.
final class Expiry: Sendable {
    let passed = Atomic<Bool>(false)
    private let waiting = Mutex<(next: Int, ends: [Int: @Sendable () -> Void])>((0, [:]))

    /// Ends every call waiting (`bound`) and refuses the next ones.
    func expire() {
        passed.store(true, ordering: .sequentiallyConsistent)
        let ends = waiting.withLock { waiting in
            defer { waiting.ends = [:] }
            return Array(waiting.ends.values)
        }
        for end in ends { end() }
    }

    /// `body`'s value, or `DeadlinePassed` as soon as the deadline passes (`body` is then left to end
    /// on its own: its query fails with the closed connection, or was never answered).
    func bound<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = PostgresReadRouting.Race<T>()
        let number = waiting.withLock { waiting in
            waiting.next += 1
            waiting.ends[waiting.next] = { race.finish(.failure(PostgresReadRouting.DeadlinePassed())) }
            return waiting.next
        }
        defer { _ = waiting.withLock { $0.ends.removeValue(forKey: number) } }
        if passed.load(ordering: .sequentiallyConsistent) { throw PostgresReadRouting.DeadlinePassed() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation, Task { do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) } })
            }
        } onCancel: { race.finish(.failure(CancellationError())) }
    }
}

/// The first failure of a search's catalog calls (as opposed to the search's own error).
final class CallFailure: Sendable {
    private let first = Mutex<(any Error)?>(nil)
    func mark(_ error: any Error) { first.withLock { if $0 == nil { $0 = error } } }
    var error: (any Error)? { first.withLock { $0 } }
}
