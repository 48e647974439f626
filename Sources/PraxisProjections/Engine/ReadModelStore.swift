import Foundation
public import GRDB
public import PraxisStore

/// The read models' SQLite file (WAL, one writer, many readers), with the registry of every
/// projection's active generation, checkpoint and shadow (a rebuild in progress).
public final class ReadModelStore: Sendable {
    let pool: DatabasePool

    /// Opens (creating if needed) the read-model database at `path`.
    public init(path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
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
    }

    /// SQLite's default page cache per connection (2 MiB).
    static let defaultCacheKibibytes = 2_000
    /// The writer's page cache while a rebuild runs: a rebuild touches every page of every table,
    /// and with the default cache it reads the same pages from the file again and again.
    static let rebuildCacheKibibytes = 65_536

    /// Sets the writer connection's page cache.
    func setWriterCache(kibibytes: Int) async throws {
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -\(kibibytes)") }
    }

    /// Closes the database.
    public func close() throws { try pool.close() }

    /// Reads with a consistent snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
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

    static func load(_ db: Database, _ name: String) throws -> RegistryEntry? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM projection_registry WHERE name = ?"), arguments: [name])
        else {
            return nil
        }
        var shadow: Shadow?
        if let version: Int = row["shadow_version"], let generation: Int64 = row["shadow_generation"],
            let checkpoint: Int64 = row["shadow_checkpoint"]
        {
            shadow = Shadow(version: version, generation: generation, checkpoint: LogPosition(checkpoint))
        }
        return RegistryEntry(
            version: row["version"], generation: row["generation"], checkpoint: LogPosition(row["checkpoint"] as Int64),
            shadow: shadow)
    }

    func save(_ db: Database, _ name: String) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO projection_registry
                (name, version, generation, checkpoint, shadow_version, shadow_generation, shadow_checkpoint)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                name, version, generation, checkpoint.value, shadow?.version, shadow?.generation, shadow?.checkpoint.value,
            ])
    }
}
