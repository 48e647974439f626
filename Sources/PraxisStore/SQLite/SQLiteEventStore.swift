public import Foundation
import GRDB
public import PraxisProtocol

/// The embedded event log: one SQLite file in WAL mode with `synchronous=FULL`, so an acknowledged
/// append survives a power loss. One writer at a time (SQLite's own rule); readers never block it.
///
/// ```swift
/// let store = try SQLiteEventStore(path: "praxis-data/log.sqlite")
/// let result = try await store.append([AuthoredEvent(envelope)], conditions: [envelope.stream: .noStream])
/// ```
public final class SQLiteEventStore: EventStore {
    /// How to open the log.
    public struct Options: Sendable {
        /// Create the file (and its folder) when it does not exist; otherwise fail with ``StoreError/Code/logNotFound``.
        public var createIfMissing: Bool
        /// Size limits on appends.
        public var limits: AppendLimits
        /// The key that signs a tree head after every appended batch; without one, no heads are signed.
        public var treeHeadKey: TreeHeadKey?

        public init(createIfMissing: Bool = true, limits: AppendLimits = AppendLimits(), treeHeadKey: TreeHeadKey? = nil) {
            self.createIfMissing = createIfMissing
            self.limits = limits
            self.treeHeadKey = treeHeadKey
        }
    }

    /// The largest page a read returns, whatever limit is asked for.
    public static let maximumPageSize = 10_000

    /// The file the log lives in.
    public let path: String
    let pool: DatabasePool
    let limits: AppendLimits
    let treeHeadKey: TreeHeadKey?
    let clock: @Sendable () -> Timestamp
    let signal: AppendSignal

    /// Opens (and migrates) the log at `path`. `clock` stamps each append's server time.
    public init(
        path: String, options: Options = Options(), clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }
    ) throws(StoreError) {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: path) {
            guard options.createIfMissing else { throw StoreError(.logNotFound, "no event log at \(path)") }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                do {
                    try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw StoreError(.unavailable, "cannot create the folder \(folder)")
                }
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB opens WAL databases with synchronous=NORMAL; an acknowledged append must survive
            // power loss, so the writer connection is switched to FULL.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteSchema.migrator.migrate(pool)
            let head = try pool.read { db in try Self.head(db) }
            self.pool = pool
            self.signal = AppendSignal(head: head)
        } catch {
            throw StoreError(sqliteFailure: error)
        }
        self.path = path
        self.limits = options.limits
        self.treeHeadKey = options.treeHeadKey
        self.clock = clock
    }

    /// Closes the database; later calls fail with ``StoreError/Code/unavailable``.
    public func close() throws(StoreError) {
        do { try pool.close() } catch { throw StoreError(sqliteFailure: error) }
    }

    /// Copies everything in the write-ahead log into the database file and empties the log
    /// (`wal_checkpoint(TRUNCATE)`), so that the file alone holds the whole log; fails when a
    /// reader kept the checkpoint from finishing.
    func foldWriteAheadLog() async throws(StoreError) {
        let busy: Int
        do {
            busy = try await pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") ?? 1
            }
        } catch {
            throw StoreError(sqliteFailure: error)
        }
        guard busy == 0 else { throw StoreError(.unavailable, "the database is busy") }
    }

    /// The writer connection's `PRAGMA synchronous` (2 means FULL).
    package func synchronousSetting() async throws -> Int {
        try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    public func read(from position: LogPosition, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        let limit = Self.clamp(limit)
        // One statement over committed events, which never change: no transaction around it.
        let rows = try await reading(rows: limit, isolated: false) { db in
            try Self.fetchRows(db, where: "position >= ? ORDER BY position LIMIT ?", [position.value, limit])
        }
        return try rows.map { row throws(StoreError) in try row.decode() }
    }

    public func storedEvents(positions: [LogPosition]) async throws(StoreError) -> [StoredEvent] {
        let wanted = Array(Set(positions.map(\.value)).sorted().prefix(Self.maximumPageSize))
        guard !wanted.isEmpty else { return [] }
        // One statement per hundred positions, the last group padded with a position no event
        // has, so the statement's text, and its cached preparation, are always the same.
        let group = 100
        let clause = "position IN (" + Array(repeating: "?", count: group).joined(separator: ",") + ") ORDER BY position"
        // Committed events never change, so the statements need no transaction around them.
        return try await reading(rows: wanted.count, isolated: false) { db in
            try stride(from: 0, to: wanted.count, by: group).flatMap { start in
                let slice = wanted[start..<min(start + group, wanted.count)]
                let padded = Array(slice) + Array(repeating: Int64(0), count: group - slice.count)
                return try Self.fetchRows(db, where: clause, StatementArguments(padded))
            }
        }
    }

    public func readStream(_ stream: StreamName, direction: ReadDirection, from version: Int64?, limit: Int)
        async throws(StoreError) -> [RecordedEvent]
    {
        let limit = Self.clamp(limit)
        let rows = try await reading(rows: limit) { db in
            switch direction {
            case .forward:
                try Self.fetchRows(
                    db, where: "stream = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?",
                    [stream.rawValue, version ?? 1, limit])
            case .backward:
                try Self.fetchRows(
                    db, where: "stream = ? AND stream_version <= ? ORDER BY stream_version DESC LIMIT ?",
                    [stream.rawValue, version ?? Int64.max, limit])
            }
        }
        return try rows.map { row throws(StoreError) in try row.decode() }
    }

    public func streams(inCategory category: String, after: StreamName?, limit: Int) async throws(StoreError)
        -> [StreamName]
    {
        // Names of a category sort between "category/" and "category0" ('0' follows '/'), a range
        // the (stream, stream_version) index answers without a scan.
        let lower = after?.rawValue ?? category + "/"
        let upper = category + "0"
        let limit = Self.clamp(limit)
        let names = try await reading { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT stream FROM events WHERE stream > ? AND stream < ? ORDER BY stream LIMIT ?",
                arguments: [lower, upper, limit])
        }
        return names.compactMap(StreamName.init)
    }

    /// The last position whose server time is at or before `time` (``LogPosition/start`` if none).
    public func position(atOrBefore time: Timestamp) async throws(StoreError) -> LogPosition {
        try await reading { db in
            LogPosition(
                try Int64.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(position), 0) FROM events WHERE server_time <= ?",
                    arguments: [time.millisecondsSinceEpoch]) ?? 0)
        }
    }

    public func head() async throws(StoreError) -> LogPosition {
        try await reading(rows: 1) { db in try Self.head(db) }
    }

    public func statistics() async throws(StoreError) -> LogStatistics {
        try await reading { db in
            var counts: [EventTypeName: Int64] = [:]
            var total: Int64 = 0
            for row in try Row.fetchAll(db, sql: "SELECT type, COUNT(*) FROM events GROUP BY type") {
                let count: Int64 = row[1]
                total += count
                if let type = EventTypeName(row[0]) { counts[type] = count }
            }
            return LogStatistics(eventCount: total, head: try Self.head(db), countsByType: counts)
        }
    }

    public func waitForAppend(beyond position: LogPosition, timeout: Duration) async {
        await signal.wait(beyond: position, timeout: timeout)
    }

    public func recordedEvents(ids: [UUID]) async throws(StoreError) -> [UUID: RecordedEvent] {
        let keys = ids.map(\.wireString)
        return try await reading(rows: keys.count) { db in
            var found: [UUID: RecordedEvent] = [:]
            for key in keys {
                for row in try Self.fetchRows(db, where: "id = ?", [key]) {
                    let record = try row.decode()
                    found[record.id] = record
                }
            }
            return found
        }
    }

    // MARK: - Shared helpers

    static func clamp(_ limit: Int) -> Int { min(max(limit, 1), maximumPageSize) }

    static func head(_ db: Database) throws -> LogPosition {
        LogPosition(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM events") ?? 0)
    }

    static let rowColumns =
        "position, id, stream, stream_version, type, schema_version, canonical, hash, server_time, signature_algorithm, signature_key_id, signature"

    /// Inserts one event row; every writer of the `events` table goes through this statement.
    static func insertRow(_ db: Database, _ record: RecordedEvent) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO events (position, id, stream, stream_version, type, schema_version, canonical, hash,
                    server_time, signature_algorithm, signature_key_id, signature)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let envelope = record.envelope
        let (algorithm, keyID, signature) = StoredEvent.columns(of: record.event.signature)
        try statement.run(
            record.position.value, envelope.id.wireString, envelope.stream.rawValue, record.streamVersion,
            envelope.type.rawValue, envelope.schemaVersion, record.event.canonicalBytes, record.event.hash.bytes,
            record.serverTime.millisecondsSinceEpoch, algorithm, keyID, signature)
    }

    static func fetchRows(_ db: Database, where clause: String, _ arguments: StatementArguments) throws
        -> [StoredEvent]
    {
        let statement = try db.cachedStatement(sql: "SELECT \(rowColumns) FROM events WHERE \(clause)")
        // Columns are read straight from SQLite's statement as each row is stepped: GRDB's generic
        // row decoding was a quarter of reading the log.
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let columns = SQLiteColumns(statement.sqliteStatement)
        var rows: [StoredEvent] = []
        while try cursor.next() != nil {
            rows.append(
                StoredEvent(
                    position: columns.integer(0), id: columns.text(1), stream: columns.text(2),
                    streamVersion: columns.integer(3), type: columns.text(4), schemaVersion: columns.integer(5),
                    canonicalBytes: columns.blob(6), hash: columns.blob(7), serverTime: columns.integer(8),
                    signatureAlgorithm: columns.optionalText(9), signatureKeyID: columns.optionalText(10),
                    signature: columns.optionalBlob(11)))
        }
        return rows
    }

    /// The most rows a read may return and still run on the calling thread
    /// (`DatabasePool.readHere`); a longer read runs on a dispatch thread.
    static let inlineReadRows = 1_000

    /// Runs `body` in a read transaction: on the calling thread when it returns at most
    /// ``inlineReadRows`` rows (`rows`, the caller's bound), otherwise on a dispatch thread.
    /// `isolated: false` for a body that reads only committed events, which no write changes:
    /// no transaction (`DatabasePool.readHere(isolated:_:)`).
    func reading<T: Sendable>(
        rows: Int = .max, isolated: Bool = true, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            if rows <= Self.inlineReadRows { return try pool.readHere(isolated: isolated, body) }
            return try await pool.readOnDispatchThread(isolated: isolated, body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(sqliteFailure: error)
        }
    }
}
