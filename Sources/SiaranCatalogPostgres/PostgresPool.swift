import Logging
import PostgresNIO

extension ConnectionURL {
    /// The pool a catalog's calls (`PostgresCatalog`) or a replica's searches (`PostgresReadRouting`)
    /// lease their connections from: at most 4 connections, each closed after 30 s unused.
    /// `connectTimeout`: how long one connection attempt may take (PostgresNIO's default when nil).
    /// The pool retries a connection that fails every second or so; each failure reaches the caller as
    /// its call's error, so the pool's own log says only what is critical. Run it with `run()`.
    /// `statementTimeout`: PostgreSQL cancels a statement of these connections that runs longer
    /// (`statement_timeout`; a replica's, so that a query stuck there ends on the server too).
    func pool(connectTimeout: Duration? = nil, statementTimeout: Double? = nil, logger: Logger) -> PostgresClient {
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: .disable)
        configuration.options.maximumConnections = 4
        configuration.options.connectionIdleTimeout = .seconds(30)
        // No JIT: a search's statement is planned as costly (its per-session reads are estimated
        // high) and then spent 100-400 ms compiling itself for a few milliseconds of work.
        configuration.options.additionalStartupParameters = [("jit", "off")] + Self.statementTimeout(statementTimeout)
        if let connectTimeout { configuration.options.connectTimeout = connectTimeout }
        var quiet = logger
        quiet.logLevel = .critical
        return PostgresClient(configuration: configuration, backgroundLogger: quiet)
    }

    /// The start-up parameter that bounds each statement to `seconds` (none when nil).
    static func statementTimeout(_ seconds: Double?) -> [(String, String)] {
        seconds.map { [("statement_timeout", "\(max(1, Int(($0 * 1000).rounded())))")] } ?? []
    }
}
