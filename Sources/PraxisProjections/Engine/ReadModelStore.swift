import Foundation
public import GRDB
public import PraxisStore

/// The read models' SQLite file (WAL, one writer, many readers), with the registry of every
/// projection's active generation, checkpoint and shadow (a rebuild in progress).
public final class ReadModelStore: Sendable {
    let pool: DatabasePool

    /// Opens (creating if needed) the read-model database at `path`; throws ``ReadModelFileError``
    /// when the file is damaged or cannot be opened.
    public init(path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrate(pool)
        } catch let error as DatabaseError {
            let damaged = [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode)
            throw ReadModelFileError(path: path, isDamaged: damaged, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// Creates the registry in a new file; checks an existing one.
    private static func migrate(_ pool: DatabasePool) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: registry") { db in
            try db.execute(
                sql: """
                    CREATE TABLE projection_registry (
                        name TEXT PRIMARY KEY,
                        version INTEGER NOT NULL,
                        generation INTEGER NOT NULL,
                        checkpoint INTEGER NOT NULL,
                        shadow_version INTEGER,
                        shadow_generation INTEGER,
                        shadow_checkpoint INTEGER
                    ) STRICT
                    """)
        }
        try migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_size_limit = \(walSizeLimitBytes)") }
    }

    /// How the writer connection is tuned: for following the log, or for a rebuild.
    enum WriterMode {
        /// SQLite's defaults: a 2 MiB page cache, a checkpoint whenever the write-ahead log passes
        /// 1,000 pages (4 MiB).
        case following
        /// A rebuild touches every page of every table: with the default cache it reads the same
        /// pages from the file again and again, and with the default checkpoints it copies the
        /// same hot pages (the ends of tables and indexes) into the database file after every
        /// page of the log it applies, each copy with an `fdatasync`. A rebuild's writer keeps
        /// 64 MiB of pages and checkpoints every 128 MiB of log.
        case rebuilding

        var cacheKibibytes: Int { self == .rebuilding ? 65_536 : 2_000 }
        var checkpointPages: Int { self == .rebuilding ? 32_768 : 1_000 }
    }

    /// The most the write-ahead log's file keeps once a checkpoint has emptied it (else the
    /// 128 MiB a rebuild lets it grow to would stay on disk).
    static let walSizeLimitBytes = 16 << 20

    /// Tunes the writer connection for `mode`. Back to following, it copies what a rebuild left
    /// in the write-ahead log into the database now (as far as readers allow), not in the commit
    /// of the next push.
    func setWriter(_ mode: WriterMode) async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -\(mode.cacheKibibytes)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(mode.checkpointPages)")
            if mode == .following { try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        }
    }

    /// The writer connection's page cache (KiB) and checkpoint interval (pages), as SQLite reports
    /// them.
    package func writerSettings() async throws -> (cacheKibibytes: Int, checkpointPages: Int) {
        try await pool.writeWithoutTransaction { db in
            (-(try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0), try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0)
        }
    }

    /// Closes the database.
    public func close() throws { try pool.close() }

    /// Reads a page with a consistent snapshot, on the calling thread (`DatabasePool.readHere`):
    /// a feed, a roster, the registry. A read that may take long uses ``readOnDispatchThread(_:)``.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try pool.readHere(body)
    }

    /// Reads with a consistent snapshot on a dispatch thread, for a read that may take long (an
    /// insights report loads every fact of its scope; digests hash every row).
    public func readOnDispatchThread<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.readOnDispatchThread(body)
    }

    /// Writes in one transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }
}

/// A projection's row in the registry.
public struct RegistryEntry: Sendable, Equatable {
    public var version: Int
    public var generation: Int64
    public var checkpoint: LogPosition
    public var shadow: Shadow?

    /// A generation being rebuilt beside the active one.
    public struct Shadow: Sendable, Equatable {
        public var version: Int
        public var generation: Int64
        public var checkpoint: LogPosition
    }

    /// The registry's columns, in the order ``init(_:)`` reads them.
    fileprivate static let columns =
        "name, version, generation, checkpoint, shadow_version, shadow_generation, shadow_checkpoint"

    static func load(_ db: Database, _ name: String) throws -> RegistryEntry? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM projection_registry WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name]).map(RegistryEntry.init)
    }

    /// Every projection's entry by name, in one statement: catching up after each append loaded
    /// the entries one statement each, three times over.
    static func all(_ db: Database) throws -> [String: RegistryEntry] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT \(columns) FROM projection_registry"))
        var entries: [String: RegistryEntry] = [:]
        while let row = try rows.next() { entries[row[0]] = RegistryEntry(row) }
        return entries
    }

    func save(_ db: Database, _ name: String) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO projection_registry (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)")
        try statement.run(
            name, version, generation, checkpoint.value, shadow?.version, shadow?.generation, shadow?.checkpoint.value)
    }
}

extension RegistryEntry {
    /// Reads a row of ``columns`` by position (GRDB's lookup by name lowercases every name).
    fileprivate init(_ row: Row) {
        var shadow: Shadow?
        if let version: Int = row[4], let generation: Int64 = row[5], let checkpoint: Int64 = row[6] {
            shadow = Shadow(version: version, generation: generation, checkpoint: LogPosition(checkpoint))
        }
        self.init(version: row[1], generation: row[2], checkpoint: LogPosition(row[3] as Int64), shadow: shadow)
    }
}
