public import CoreMetrics
import Crypto
import Foundation
import GRDB
import PraxisProtocol
public import PraxisStore

/// Keeps read models in step with the log.
///
/// - **Exactly once, together**: each batch is applied to every read model in the one transaction
///   that moves their checkpoints; a failure in any of them rolls the whole batch back, and the
///   next run starts from the same checkpoints: read models applied together stop together.
/// - **Catch up, then follow**: ``run()`` applies what the log gained, waits for appends, repeats.
/// - **Blue/green rebuild**: ``rebuild(_:restart:progress:)`` fills a shadow generation from the
///   log while reads use the active one, then swaps them in one transaction. A cancelled or
///   crashed rebuild resumes from the shadow's checkpoint.
public actor ProjectionEngine<Store: EventStore> {
    let store: Store
    let readModels: ReadModelStore
    let projections: [any Projection]
    /// Events read and applied per transaction (a rebuild reads twenty times as many per page).
    let batchSize: Int
    /// `praxis_projection_lag_events{projection}`: the log's head minus each checkpoint.
    let lagGauges: [String: Gauge]

    /// - Parameter metrics: where the lag gauges go (a Prometheus factory in `serve`).
    public init(
        store: Store, readModels: ReadModelStore, projections: [any Projection], batchSize: Int = 500,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.store = store
        self.readModels = readModels
        self.projections = projections
        self.batchSize = max(1, batchSize)
        self.lagGauges = Dictionary(
            uniqueKeysWithValues: projections.map {
                ($0.name, Gauge(label: "praxis_projection_lag_events", dimensions: [("projection", $0.name)], factory: metrics))
            })
    }

    /// Registers projections met for the first time (generation 1, checkpoint 0, empty tables).
    /// Returns the names whose stored version differs from the code's: they need a rebuild, and
    /// their reads answer `rebuilding` until it is done.
    @discardableResult
    public func prepare() async throws -> [String] {
        let projections = self.projections
        return try await readModels.write { db in
            var outdated: [String] = []
            for projection in projections {
                if let entry = try RegistryEntry.load(db, projection.name) {
                    if entry.version != projection.version { outdated.append(projection.name) }
                    continue
                }
                try projection.create(db, TableNames(projection: projection.name, generation: 1))
                try RegistryEntry(version: projection.version, generation: 1, checkpoint: .start).save(db, projection.name)
            }
            return outdated
        }
    }

    /// Applies what the log holds beyond the checkpoints, up to `last` (everything when nil);
    /// returns the lowest checkpoint.
    @discardableResult
    public func catchUp(through last: LogPosition? = nil) async throws -> LogPosition {
        while true {
            let from = try await lowestCheckpoint().next
            let remaining = last.map { Int(max(0, $0.value - from.value + 1)) } ?? batchSize
            guard remaining > 0 else { return LogPosition(from.value - 1) }
            let page = try await store.read(from: from, limit: min(batchSize, remaining))
            guard !page.isEmpty else { return LogPosition(from.value - 1) }
            try await applyToActive(try Self.decode(page))
        }
    }

    /// Catches up, then follows the log until the task is cancelled, recording the lag each time
    /// it has caught up.
    public func run() async throws {
        while !Task.isCancelled {
            let position = try await catchUp()
            try await recordLag()
            await store.waitForAppend(beyond: position, timeout: .seconds(1))
        }
    }

    /// Sets each projection's lag gauge from the current head and checkpoints.
    public func recordLag() async throws {
        for status in try await status() { lagGauges[status.name]?.record(status.lag) }
    }

    /// The lowest checkpoint among projections whose active generation is current.
    func lowestCheckpoint() async throws -> LogPosition {
        let projections = self.projections
        return try await readModels.read { db in
            let entries = try RegistryEntry.all(db)
            var lowest: LogPosition?
            for projection in projections {
                guard let entry = entries[projection.name], entry.version == projection.version else { continue }
                lowest = min(lowest ?? entry.checkpoint, entry.checkpoint)
            }
            return lowest ?? .start
        }
    }

    static func decode(_ page: [RecordedEvent]) throws -> [(LogPosition, ProjectedEvent?)] {
        try page.map { ($0.position, try ProjectedEvent($0)) }
    }

    /// Applies `batch` to every projection whose active generation is current, in one
    /// transaction: one commit for all of them, not one each. Seven commits a batch wrote the
    /// registry's page seven times and most of the write-ahead log a small push caused.
    private func applyToActive(_ batch: [(LogPosition, ProjectedEvent?)]) async throws {
        let projections = self.projections
        try await readModels.write { db in
            let entries = try RegistryEntry.all(db)
            for projection in projections {
                guard var entry = entries[projection.name], entry.version == projection.version else { continue }
                let tables = TableNames(projection: projection.name, generation: entry.generation)
                entry.checkpoint = try Self.apply(batch, to: projection, after: entry.checkpoint, db, tables)
                try entry.save(db, projection.name)
            }
        }
    }

    /// Applies the events of `batch` beyond `checkpoint` to one read model, then lets it finish the
    /// batch; returns its new checkpoint.
    static func apply(
        _ batch: [(LogPosition, ProjectedEvent?)], to projection: any Projection, after checkpoint: LogPosition,
        _ db: Database, _ tables: TableNames
    ) throws -> LogPosition {
        var reached = checkpoint
        var latestServerTime: Timestamp?
        for (position, event) in batch where position > checkpoint {
            if let event {
                try projection.apply(event, db, tables)
                latestServerTime = max(latestServerTime ?? event.serverTime, event.serverTime)
            }
            reached = position
        }
        if let latestServerTime { try projection.finishBatch(latestServerTime: latestServerTime, db, tables) }
        return reached
    }

    func projection(named name: String) throws -> any Projection {
        guard let projection = projections.first(where: { $0.name == name }) else {
            throw ProjectionError.unknownProjection(name, known: projections.map(\.name))
        }
        return projection
    }

    /// The names of all projections.
    public var names: [String] { projections.map(\.name) }
}

/// What went wrong with a projection operation.
public enum ProjectionError: Error, CustomStringConvertible, Equatable {
    case unknownProjection(String, known: [String])
    case rebuildCancelled(String)

    public var description: String {
        switch self {
        case .unknownProjection(let name, let known): "no projection \(name); known: \(known.joined(separator: ", "))"
        case .rebuildCancelled(let name): "the rebuild of \(name) was cancelled or replaced"
        }
    }
}
