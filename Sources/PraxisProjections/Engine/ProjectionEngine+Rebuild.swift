import Foundation
import GRDB
import PraxisProtocol
public import PraxisStore

/// How far a rebuild has come.
public struct RebuildProgress: Sendable {
    /// The read models being rebuilt together.
    public let names: [String]
    /// The lowest checkpoint among their shadow generations.
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
        try await rebuild([name], restart: restart, progress: progress)
    }

    /// Rebuilds several read models in one pass over the log: each page is read and decoded once
    /// (the next page is read while this one is applied) and applied to every shadow generation in
    /// one transaction. Each read model is swapped in as in ``rebuild(_:restart:progress:)``;
    /// shadows left by an interrupted rebuild resume from their own checkpoints.
    public func rebuild(_ names: [String], restart: Bool = false, progress: @Sendable (RebuildProgress) -> Void = { _ in })
        async throws
    {
        var pending: [any Projection] = []
        for name in names where !pending.contains(where: { $0.name == name }) { pending.append(try projection(named: name)) }
        var shadows: [String: RegistryEntry.Shadow] = [:]
        for projection in pending { shadows[projection.name] = try await startShadow(projection, restart: restart) }
        try await readModels.setWriter(.rebuilding)
        do {
            try await applyAndSwap(pending, shadows, progress: progress)
        } catch {
            try? await handWriterBack()
            throw error
        }
        try await handWriterBack()
    }

    /// Tunes the writer for following the log again, also when the rebuild was cancelled (GRDB
    /// refuses to start a write in a cancelled task, so this runs in a task of its own).
    private func handWriterBack() async throws {
        let readModels = self.readModels
        try await Task.detached { try await readModels.setWriter(.following) }.value
    }

    /// Applies the log to `shadows` from the lowest of their checkpoints, swapping each in once it
    /// has reached the head.
    private func applyAndSwap(
        _ projections: [any Projection], _ shadows: [String: RegistryEntry.Shadow],
        progress: @Sendable (RebuildProgress) -> Void
    ) async throws {
        var pending = projections
        var shadows = shadows
        let resumedAt = shadows.values.map(\.checkpoint).min() ?? .start
        let started = Date()
        var next = resumedAt.next
        var upcoming = readPage(from: next)
        defer { upcoming.cancel() }
        while !pending.isEmpty {
            try Task.checkCancellation()
            let head = try await store.head()
            let batch = try await upcoming.value
            guard let last = batch.last?.0 else {
                for projection in pending {
                    if let shadow = shadows[projection.name], try await swap(projection, shadow) {
                        shadows[projection.name] = nil
                    }
                }
                pending.removeAll { shadows[$0.name] == nil }
                // Those left behind the live generation, which moved on meanwhile, catch up first.
                if !pending.isEmpty { upcoming = readPage(from: next) }
                continue
            }
            next = last.next
            upcoming = readPage(from: next)
            shadows = try await applyToShadows(pending, shadows, batch)
            let position = shadows.values.map(\.checkpoint).min() ?? last
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            progress(
                RebuildProgress(
                    names: pending.map(\.name), position: position, head: max(head, position),
                    eventsPerSecond: Double(position.value - resumedAt.value) / seconds))
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

    /// Reads and decodes the page from `position` off the engine, so that the next page is ready
    /// by the time this one is applied. A page is twenty batches (10,000 events by default) and one
    /// transaction: fewer transactions write the same hot pages of the read models fewer times.
    private func readPage(from position: LogPosition) -> Task<[(LogPosition, ProjectedEvent?)], any Error> {
        let store = self.store
        let limit = batchSize * 20
        return Task.detached { try Self.decode(try await store.read(from: position, limit: limit)) }
    }

    /// Applies `batch` to every shadow in one transaction; returns the shadows with their new
    /// checkpoints. A shadow cancelled or replaced meanwhile fails the whole transaction.
    private func applyToShadows(
        _ projections: [any Projection], _ shadows: [String: RegistryEntry.Shadow],
        _ batch: [(LogPosition, ProjectedEvent?)]
    ) async throws -> [String: RegistryEntry.Shadow] {
        try await readModels.write { db in
            var reached = shadows
            for projection in projections {
                guard var entry = try RegistryEntry.load(db, projection.name), var current = entry.shadow,
                    current.generation == shadows[projection.name]?.generation
                else { throw ProjectionError.rebuildCancelled(projection.name) }
                let tables = TableNames(projection: projection.name, generation: current.generation)
                current.checkpoint = try Self.apply(batch, to: projection, after: current.checkpoint, db, tables)
                entry.shadow = current
                try entry.save(db, projection.name)
                reached[projection.name] = current
            }
            return reached
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
