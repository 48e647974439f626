import Foundation
import GRDB
import PraxisProtocol
public import PraxisStore

/// How far a rebuild has come.
public struct RebuildProgress: Sendable {
    public let name: String
    /// The shadow generation's checkpoint.
    public let position: LogPosition
    /// The log's head when this page was read.
    public let head: LogPosition
    /// Events applied per second since the rebuild (or its resumption) started.
    public let eventsPerSecond: Double
}

extension ProjectionEngine {
    /// Rebuilds `name` from the log into a shadow generation, then swaps it in atomically.
    /// Reads keep using the active generation until the swap. A shadow left by a cancelled or
    /// crashed rebuild of the same version is resumed unless `restart` is set.
    public func rebuild(_ name: String, restart: Bool = false, progress: @Sendable (RebuildProgress) -> Void = { _ in })
        async throws
    {
        let projection = try projection(named: name)
        var shadow = try await startShadow(projection, restart: restart)
        let started = Date()
        let resumedAt = shadow.checkpoint
        while true {
            try Task.checkCancellation()
            let head = try await store.head()
            let page = try await store.read(from: shadow.checkpoint.next, limit: batchSize * 4)
            if page.isEmpty {
                if try await swap(projection, shadow) { return }
                continue
            }
            let batch = try Self.decode(page)
            shadow.checkpoint = try await applyToShadow(projection, shadow, batch)
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            progress(
                RebuildProgress(
                    name: name, position: shadow.checkpoint, head: max(head, shadow.checkpoint),
                    eventsPerSecond: Double(shadow.checkpoint.value - resumedAt.value) / seconds))
        }
    }

    /// Drops a rebuild in progress (its shadow tables go; the active generation stays).
    public func cancelRebuild(_ name: String) async throws {
        let projection = try projection(named: name)
        try await readModels.write { db in
            guard var entry = try RegistryEntry.load(db, projection.name), let shadow = entry.shadow else { return }
            try Self.dropTables(db, TableNames(projection: projection.name, generation: shadow.generation))
            entry.shadow = nil
            try entry.save(db, projection.name)
        }
    }

    private func startShadow(_ projection: any Projection, restart: Bool) async throws -> RegistryEntry.Shadow {
        try await readModels.write { db in
            var entry =
                try RegistryEntry.load(db, projection.name)
                ?? RegistryEntry(version: projection.version, generation: 0, checkpoint: .start)
            if let shadow = entry.shadow, shadow.version == projection.version, !restart { return shadow }
            if let stale = entry.shadow {
                try Self.dropTables(db, TableNames(projection: projection.name, generation: stale.generation))
            }
            let generation = max(entry.generation, entry.shadow?.generation ?? 0) + 1
            let tables = TableNames(projection: projection.name, generation: generation)
            try Self.dropTables(db, tables)
            try projection.create(db, tables)
            let shadow = RegistryEntry.Shadow(version: projection.version, generation: generation, checkpoint: .start)
            entry.shadow = shadow
            try entry.save(db, projection.name)
            return shadow
        }
    }

    private func applyToShadow(
        _ projection: any Projection, _ shadow: RegistryEntry.Shadow, _ batch: [(LogPosition, ProjectedEvent?)]
    ) async throws -> LogPosition {
        try await readModels.write { db in
            guard var entry = try RegistryEntry.load(db, projection.name), var current = entry.shadow,
                current.generation == shadow.generation
            else { throw ProjectionError.rebuildCancelled(projection.name) }
            let tables = TableNames(projection: projection.name, generation: current.generation)
            for (position, event) in batch where position > current.checkpoint {
                if let event { try projection.apply(event, db, tables) }
                current.checkpoint = position
            }
            entry.shadow = current
            try entry.save(db, projection.name)
            return current.checkpoint
        }
    }

    /// Makes the shadow the active generation, unless the active one has meanwhile moved past it
    /// (then the shadow catches up first). Returns whether it swapped.
    private func swap(_ projection: any Projection, _ shadow: RegistryEntry.Shadow) async throws -> Bool {
        try await readModels.write { db in
            guard let entry = try RegistryEntry.load(db, projection.name), let current = entry.shadow,
                current.generation == shadow.generation
            else { throw ProjectionError.rebuildCancelled(projection.name) }
            if entry.version == projection.version && entry.checkpoint > current.checkpoint { return false }
            try Self.dropTables(db, TableNames(projection: projection.name, generation: entry.generation))
            try RegistryEntry(version: current.version, generation: current.generation, checkpoint: current.checkpoint)
                .save(db, projection.name)
            return true
        }
    }

    /// Drops one generation's tables; virtual (full-text) tables first, which takes their shadow
    /// tables with them.
    static func dropTables(_ db: Database, _ tables: TableNames) throws {
        let query = """
            SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?
            ORDER BY sql NOT LIKE 'CREATE VIRTUAL TABLE%'
            """
        while let name = try String.fetchOne(db, sql: query, arguments: [tables.prefix.count, tables.prefix]) {
            try db.execute(sql: "DROP TABLE \"\(name)\"")
        }
    }
}
