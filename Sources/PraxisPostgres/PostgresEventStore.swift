public import Foundation
public import Logging
import NIOCore
import PostgresNIO
public import PraxisProtocol
public import PraxisStore
import Synchronization

/// The event log in PostgreSQL, for deployments where several `praxis serve` nodes share one log.
///
/// **Positions are assigned at commit under a short sequencer lock.** Every append takes one
/// transaction-scoped advisory lock, reads the head, checks expected versions, inserts its events
/// at head + 1 … and their Merkle nodes, signs a tree head, and commits, which releases the lock.
/// The next append can only take positions after a commit, so a reader never sees position *n + 1*
/// before *n*: there are no gaps to skip, and readers need no watermark (README, "Several nodes").
///
/// ```swift
/// let store = try await PostgresEventStore.open(PostgresLocation(url: "postgres://praxis@db/praxis")!)
/// ```
public final class PostgresEventStore: EventStore {
    /// How to open the log.
    public struct Options: Sendable {
        public var limits: AppendLimits
        /// The key that signs a tree head after every appended batch; without one, no heads are signed.
        public var treeHeadKey: TreeHeadKey?
        /// Connections this process keeps open at most.
        public var maximumConnections: Int
        /// How long one operation may take, waiting for a connection included, before it fails
        /// with ``StoreError/Code/unavailable`` (an append's outcome is then unknown: retry it).
        public var operationTimeout: Duration

        public init(
            limits: AppendLimits = AppendLimits(), treeHeadKey: TreeHeadKey? = nil, maximumConnections: Int = 8,
            operationTimeout: Duration = .seconds(30)
        ) {
            self.limits = limits
            self.treeHeadKey = treeHeadKey
            self.maximumConnections = maximumConnections
            self.operationTimeout = operationTimeout
        }
    }

    /// The largest page a read returns, whatever limit is asked for.
    public static let maximumPageSize = 10_000

    /// The driver's own log, errors only: failures reach callers as typed ``StoreError``s anyway.
    public static var quietLogger: Logger {
        var logger = Logger(label: "praxis.postgres")
        logger.logLevel = .error
        return logger
    }

    public let location: PostgresLocation
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    let limits: AppendLimits
    let treeHeadKey: TreeHeadKey?
    let operationTimeout: Duration
    let clock: @Sendable () -> Timestamp
    let signal: AppendSignal
    /// The Merkle tree's right edges after this process's latest appends (the next append reuses
    /// the one of the head's tree instead of reading it).
    let recentEdges = Mutex(RecentEdges())

    private init(
        location: PostgresLocation, client: PostgresClient, runner: Task<Void, Never>, logger: Logger, options: Options,
        clock: @escaping @Sendable () -> Timestamp, head: LogPosition
    ) {
        self.location = location
        self.client = client
        self.runner = runner
        self.logger = logger
        self.limits = options.limits
        self.treeHeadKey = options.treeHeadKey
        self.operationTimeout = options.operationTimeout
        self.clock = clock
        self.signal = AppendSignal(head: head)
    }

    /// Connects, migrates the schema (once, whichever node comes first) and returns the store.
    public static func open(
        _ location: PostgresLocation, options: Options = Options(), logger: Logger = PostgresEventStore.quietLogger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }
    ) async throws(StoreError) -> PostgresEventStore {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.maximumConnections = options.maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        do {
            try await probe(location, logger: logger)
        } catch {
            throw Self.openingError(error, location: location)
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        do {
            try await migrate(client, logger: logger)
            let head = try await Self.head(client, logger: logger)
            return PostgresEventStore(
                location: location, client: client, runner: runner, logger: logger, options: options, clock: clock,
                head: head)
        } catch {
            runner.cancel()
            throw Self.openingError(error, location: location)
        }
    }

    /// Why ``open`` could not connect, with PostgreSQL's own message or the system's reason: the
    /// operator opening the log reads it (answers to HTTP clients never carry the server's text).
    static func openingError(_ error: any Error, location: PostgresLocation) -> StoreError {
        guard let error = error as? PSQLError, let reason = error.reason else {
            let plain = storeError(error)
            return StoreError(plain.code, "PostgreSQL at \(location): \(plain.message)")
        }
        let retry = error.isTransient ? "; retry" : ""
        if error.serverInfo != nil { return StoreError(.unavailable, "PostgreSQL at \(location) refused: \(reason)\(retry)") }
        return StoreError(.unavailable, "PostgreSQL at \(location) is unreachable: \(reason)\(retry)")
    }

    /// Connects once outside the pool and closes again, so that a server that is down, refuses the
    /// user or has no such database fails ``open`` at once: the pool would retry for ever, and the
    /// command opening the log would hang without a word.
    static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await connection.close()
    }

    /// Closes the connections; later calls fail with ``StoreError/Code/unavailable``.
    public func close() {
        runner.cancel()
    }

    deinit { runner.cancel() }

    private static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await connection.transaction(logger: logger) { connection in
                try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
                try await connection.execute(
                    "CREATE TABLE IF NOT EXISTS praxis_migrations (version INTEGER PRIMARY KEY)", logger: logger)
                let applied = Set(
                    try await connection.rows("SELECT version FROM praxis_migrations", logger: logger).map {
                        try $0.decode(Int.self)
                    })
                for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                    for statement in migration.statements {
                        try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.execute(
                        "INSERT INTO praxis_migrations VALUES (\(migration.version))", logger: logger)
                }
            }
        }
    }

    // MARK: - Reads

    static let rowColumns =
        "position, id, stream, stream_version, type, schema_version, canonical, hash, server_time, signature_algorithm, signature_key_id, signature"

    static func eventRows(_ results: [PostgresRow]) throws -> [StoredEvent] {
        var rows: [StoredEvent] = []
        for row in results {
            let (position, id, stream, version, type, schemaVersion, canonical, hash, time, algorithm, keyID, signature) =
                try row.decode(
                    (
                        Int64, String, String, Int64, String, Int64, ByteBuffer, ByteBuffer, Int64, String?, String?,
                        ByteBuffer?
                    ).self)
            rows.append(
                StoredEvent(
                    position: position, id: id, stream: stream, streamVersion: version, type: type,
                    schemaVersion: schemaVersion, canonicalBytes: Array(canonical.readableBytesView),
                    hash: Array(hash.readableBytesView), serverTime: time, signatureAlgorithm: algorithm,
                    signatureKeyID: keyID, signature: signature.map { Array($0.readableBytesView) }))
        }
        return rows
    }

    func fetch(_ query: PostgresQuery) async throws(StoreError) -> [RecordedEvent] {
        let rows = try await run { try Self.eventRows(try await self.client.rows(query, logger: self.logger)) }
        return try rows.map { row throws(StoreError) in try row.decode() }
    }

    static func clamp(_ limit: Int) -> Int { min(max(limit, 1), maximumPageSize) }

    public func read(from position: LogPosition, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        let limit = Self.clamp(limit)
        return try await fetch(
            "SELECT \(unescaped: Self.rowColumns) FROM events WHERE position >= \(position.value) ORDER BY position LIMIT \(limit)"
        )
    }

    public func storedEvents(positions: [LogPosition]) async throws(StoreError) -> [StoredEvent] {
        let wanted = Array(Set(positions.map(\.value)).sorted().prefix(Self.maximumPageSize))
        guard !wanted.isEmpty else { return [] }
        let query: PostgresQuery =
            "SELECT \(unescaped: Self.rowColumns) FROM events WHERE position = ANY(\(wanted)) ORDER BY position"
        return try await run { try Self.eventRows(try await self.client.rows(query, logger: self.logger)) }
    }

    public func readStream(_ stream: StreamName, direction: ReadDirection, from version: Int64?, limit: Int)
        async throws(StoreError) -> [RecordedEvent]
    {
        let limit = Self.clamp(limit)
        switch direction {
        case .forward:
            return try await fetch(
                """
                SELECT \(unescaped: Self.rowColumns) FROM events WHERE stream = \(stream.rawValue)
                AND stream_version >= \(version ?? 1) ORDER BY stream_version LIMIT \(limit)
                """)
        case .backward:
            return try await fetch(
                """
                SELECT \(unescaped: Self.rowColumns) FROM events WHERE stream = \(stream.rawValue)
                AND stream_version <= \(version ?? Int64.max) ORDER BY stream_version DESC LIMIT \(limit)
                """)
        }
    }

    public func recordedEvents(ids: [UUID]) async throws(StoreError) -> [UUID: RecordedEvent] {
        let keys = ids.map(\.wireString)
        let records = try await fetch("SELECT \(unescaped: Self.rowColumns) FROM events WHERE id = ANY(\(keys))")
        return Dictionary(records.map { ($0.id, $0) }) { first, _ in first }
    }

    public func streams(inCategory category: String, after: StreamName?, limit: Int) async throws(StoreError)
        -> [StreamName]
    {
        let lower = after?.rawValue ?? category + "/"
        let upper = category + "0"
        let limit = Self.clamp(limit)
        let names = try await run {
            try await self.client.rows(
                """
                SELECT DISTINCT stream FROM events WHERE stream > \(lower) AND stream < \(upper)
                ORDER BY stream LIMIT \(limit)
                """, logger: self.logger
            ).map { try $0.decode(String.self) }
        }
        return names.compactMap(StreamName.init)
    }

    public func head() async throws(StoreError) -> LogPosition {
        try await run { try await Self.head(self.client, logger: self.logger) }
    }

    static func head(_ client: PostgresClient, logger: Logger) async throws -> LogPosition {
        try await client.withConnection { connection in try await head(connection, logger: logger) }
    }

    static func head(_ connection: PostgresConnection, logger: Logger) async throws -> LogPosition {
        let rows = try await connection.rows("SELECT COALESCE(MAX(position), 0)::BIGINT FROM events", logger: logger)
        return LogPosition(try rows.first?.decode(Int64.self) ?? 0)
    }

    public func statistics() async throws(StoreError) -> LogStatistics {
        try await run {
            var counts: [EventTypeName: Int64] = [:]
            var total: Int64 = 0
            let rows = try await self.client.rows(
                "SELECT type, COUNT(*)::BIGINT FROM events GROUP BY type", logger: self.logger)
            for row in rows {
                let (type, count) = try row.decode((String, Int64).self)
                total += count
                if let name = EventTypeName(type) { counts[name] = count }
            }
            return LogStatistics(
                eventCount: total, head: try await Self.head(self.client, logger: self.logger), countsByType: counts)
        }
    }

    /// Wakes on this process's appends at once and on other nodes' appends within 250 ms.
    public func waitForAppend(beyond position: LogPosition, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while !Task.isCancelled {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return }
            await signal.wait(beyond: position, timeout: min(left, .milliseconds(250)))
            if let head = try? await head(), head > position {
                await signal.advance(to: head)
                return
            }
        }
    }

    // MARK: - Errors

    /// Runs `body` within the operation time-out, turning PostgreSQL and connection failures into
    /// ``StoreError``s. An operation past its time-out is left to finish on its own; its caller gets
    /// `unavailable` at once.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws(StoreError) -> T {
        let timeout = operationTimeout
        do {
            return try await firstAnswer { answer in
                let timer = Task {
                    try await Task.sleep(for: timeout)
                    answer.give(.failure(PostgresTimeout(limit: timeout)))
                }
                Task {
                    do {
                        answer.give(.success(try await body()))
                    } catch {
                        answer.give(.failure(error))
                    }
                    timer.cancel()
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// An operation outlived ``Options/operationTimeout``.
    struct PostgresTimeout: Error {
        let limit: Duration
    }

    /// A failure as HTTP clients and commands may see it: what happened and whether to retry, never
    /// where the database is or what PostgreSQL said (the server logs the error whole).
    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case is PostgresConnectionLost:
            return StoreError(.unavailable, "the connection to the database was lost; the outcome is unknown; retry")
        case let error as PostgresTimeout:
            return StoreError(
                .unavailable, "the database did not answer within \(error.limit); the outcome is unknown; retry")
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                return StoreError(.unavailable, "the database refused the request (SQLSTATE \(state)); retry")
            }
            return StoreError(.unavailable, "the database is unreachable; retry")
        default:
            return StoreError(.unavailable, "the database failed; retry")
        }
    }
}

extension PostgresEventStore {
    /// Creates the database `location` names when it does not exist yet, connecting to the
    /// server's `postgres` database to do so (the user needs the right to create databases).
    public static func createDatabaseIfMissing(_ location: PostgresLocation, logger: Logger = PostgresEventStore.quietLogger)
        async throws(StoreError)
    {
        guard location.database.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw StoreError(.invalidBatch, "database names are letters, digits and _ only: \(location.database)")
        }
        var maintenance = location
        maintenance.database = "postgres"
        do {
            try await probe(maintenance, logger: logger)
        } catch {
            throw openingError(error, location: maintenance)
        }
        let configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: maintenance.database, tls: .disable)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do {
            let exists = try await client.rows(
                "SELECT 1 FROM pg_database WHERE datname = \(location.database)", logger: logger)
            if exists.isEmpty {
                _ = try await client.rows(PostgresQuery(unsafeSQL: "CREATE DATABASE \(location.database)"), logger: logger)
            }
        } catch {
            throw openingError(error, location: maintenance)
        }
    }
}
