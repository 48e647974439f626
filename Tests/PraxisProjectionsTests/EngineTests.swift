import Foundation
import GRDB
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Synchronization
import Testing

@Suite("Projection engine")
struct EngineTests {
    @Test("catching up in small steps and building at once give the same digests")
    func incrementalEqualsFull() async throws {
        let fixture = try await ProjectionFixture()
        let head = try await fixture.store.head()
        let (_, full) = try fixture.engine("full")
        try await full.prepare()
        #expect(try await full.catchUp() == head)
        // The same log, applied while it "grows": a second log copy is not needed, since the
        // engine reads pages; instead rebuild into a fresh database and compare.
        let (_, rebuilt) = try fixture.engine("rebuilt")
        try await rebuilt.prepare()
        for name in await rebuilt.names { try await rebuilt.rebuild(name) }
        let a = try await full.digests()
        let b = try await rebuilt.digests()
        #expect(a.count == ProjectionCatalog.all.count)
        #expect(a.allSatisfy { $0.position == head })
        #expect(a.map(\.sha256) == b.map(\.sha256))
        #expect(b.map(\.version) == ProjectionCatalog.all.map(\.version))
        #expect(a.allSatisfy { $0.rows > 0 }, "every read model holds rows, so equal digests mean something: \(a)")
    }

    @Test("a failure in the middle of a batch applies nothing of it; a restart converges to the full build")
    func crashMidBatch() async throws {
        let fixture = try await ProjectionFixture()
        let head = try await fixture.store.head()
        let failAt = LogPosition(head.value / 2 + 7)
        let (readModels, failing) = try fixture.engine(
            "crash", projections: ProjectionCatalog.all.map { FailingProjection(wrapped: $0, failAt: failAt) })
        try await failing.prepare()
        await #expect(throws: FailingProjection.Crash.self) { try await failing.catchUp() }
        let checkpoints = try await failing.status().map(\.checkpoint)
        #expect(checkpoints.allSatisfy { $0 < failAt }, "the failed batch moved no checkpoint: \(checkpoints)")
        // Restart with working code on the same database.
        let restarted = ProjectionEngine(store: fixture.store, readModels: readModels, projections: ProjectionCatalog.all)
        try await restarted.prepare()
        try await restarted.catchUp()
        let (_, reference) = try fixture.engine("reference")
        try await reference.prepare()
        try await reference.catchUp()
        #expect(try await restarted.digests() == reference.digests())
    }

    @Test("read models move together: one projection failing keeps every read model before the failed batch")
    func readModelsMoveTogether() async throws {
        let fixture = try await ProjectionFixture()
        let head = try await fixture.store.head()
        let failAt = LogPosition(head.value / 2 + 7)
        // Only the last read model fails; the others come first in the same batch.
        var projections = ProjectionCatalog.all
        projections[projections.count - 1] = FailingProjection(wrapped: projections[projections.count - 1], failAt: failAt)
        let (_, engine) = try fixture.engine("together", projections: projections)
        try await engine.prepare()
        await #expect(throws: FailingProjection.Crash.self) { try await engine.catchUp() }
        let checkpoints = try await engine.status().map(\.checkpoint)
        #expect(checkpoints.allSatisfy { $0 < failAt }, "no read model passed the failed batch: \(checkpoints)")
        #expect(Set(checkpoints).count == 1, "every read model stopped at the same position: \(checkpoints)")
    }

    @Test("a rebuild swaps in atomically while reads go on, and the digest is unchanged")
    func rebuildWhileReading() async throws {
        let fixture = try await ProjectionFixture()
        let (readModels, engine) = try fixture.engine()
        try await engine.prepare()
        try await engine.catchUp()
        let before = try await engine.digests()
        let expected = try await readModels.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM community_roster_g1_members") ?? -1
        }
        let reader = Task {
            var reads = 0
            while !Task.isCancelled {
                let count: Int
                do {
                    count = try await readModels.read { db -> Int in
                        let generation =
                            try Int64.fetchOne(
                                db, sql: "SELECT generation FROM projection_registry WHERE name = 'community_roster'") ?? 0
                        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM community_roster_g\(generation)_members") ?? -1
                    }
                } catch is CancellationError {
                    break
                } catch {
                    Issue.record("a read failed during the rebuild: \(error)")
                    break
                }
                #expect(count == expected)
                reads += 1
                await Task.yield()
            }
            return reads
        }
        try await engine.rebuild("community_roster")
        reader.cancel()
        #expect(await reader.value > 0)
        let status = try #require(try await engine.status().first { $0.name == "community_roster" })
        #expect(status.generation == 2)
        #expect(status.rebuildingAt == nil)
        #expect(try await engine.digests() == before)
        let leftovers = try await readModels.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'community\\_roster\\_g1\\_%' ESCAPE '\\'")
        }
        #expect(leftovers == 0, "the old generation's tables are dropped")
    }

    @Test("a cancelled rebuild resumes where it stopped")
    func resume() async throws {
        let fixture = try await ProjectionFixture()
        let (_, engine) = try fixture.engine(batchSize: 2)
        try await engine.prepare()
        try await engine.catchUp()
        let before = try await engine.digests()
        let first = Task {
            try await engine.rebuild("community_feed") { progress in
                if progress.position.value > 0 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await first.value }
        let stopped = try #require(try await engine.status().first { $0.name == "community_feed" }?.rebuildingAt)
        #expect(stopped > .start)
        let positions = PositionLog()
        try await engine.rebuild("community_feed") { positions.append($0.position) }
        #expect((positions.values.first ?? .start) > stopped, "resumed after \(stopped), not from the start")
        #expect(try await engine.digests() == before)
    }

    @Test("a rebuild tunes the writer for bulk work and hands it back as it found it, also when cancelled")
    func writerSettingsRestored() async throws {
        let fixture = try await ProjectionFixture()
        let probe = WriterProbe(wrapped: Search())
        let (readModels, engine) = try fixture.engine(projections: [probe], batchSize: 2)
        try await engine.prepare()
        let following = try await readModels.writerSettings()
        #expect(following.cacheKibibytes == 2_000 && following.checkpointPages == 1_000)
        let cancelled = Task {
            try await engine.rebuild("search") { progress in
                if progress.position.value > 0 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(try await readModels.writerSettings() == following)
        try await engine.rebuild("search")
        #expect(try await readModels.writerSettings() == following)
        let seen = probe.seen.withLock { $0 }
        #expect(!seen.isEmpty && seen.allSatisfy { $0 == "65536/32768" }, "applied with the rebuild's settings: \(Set(seen))")
        try await engine.catchUp()
        #expect(probe.seen.withLock { $0 }.count == seen.count, "nothing left to follow after the rebuild")
    }

    @Test("rebuilding every read model in one pass resumes each from its own checkpoint and matches catching up")
    func onePassRebuild() async throws {
        let fixture = try await ProjectionFixture()
        let (_, reference) = try fixture.engine("reference")
        try await reference.prepare()
        try await reference.catchUp()
        let (_, engine) = try fixture.engine(batchSize: 2)
        try await engine.prepare()
        // The home feed's own rebuild stops half-way, so the pass below finds its shadow ahead of
        // the others' and must not apply the events before its checkpoint again (its community
        // sizes are counters: applied twice, they would differ).
        let half = try await fixture.store.head().value / 2
        let first = Task {
            try await engine.rebuild("home_feed") { progress in
                if progress.position.value >= half { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await first.value }
        let stopped = try #require(try await engine.status().first { $0.name == "home_feed" }?.rebuildingAt)
        #expect(stopped.value >= half)
        let positions = PositionLog()
        try await engine.rebuild(await engine.names) { positions.append($0.position) }
        #expect(positions.values.count > 2, "the log was read in several pages")
        #expect(positions.values == positions.values.sorted())
        let status = try await engine.status()
        #expect(status.allSatisfy { $0.generation == 2 && $0.rebuildingAt == nil && $0.lag == 0 }, "\(status)")
        #expect(try await engine.digests() == reference.digests())
    }

    @Test("a projection whose version changed is reported, not applied with old tables, and rebuilt")
    func versionChange() async throws {
        let fixture = try await ProjectionFixture()
        let (readModels, engine) = try fixture.engine()
        try await engine.prepare()
        try await engine.catchUp()
        let bumped = ProjectionEngine(
            store: fixture.store, readModels: readModels, projections: ProjectionCatalog.all.map { BumpedProjection(wrapped: $0) }
        )
        #expect(try await bumped.prepare().sorted() == ProjectionCatalog.all.map(\.name).sorted())
        let status = try await bumped.status()
        #expect(status.allSatisfy { $0.version == $0.activeVersion + 1 })
        for name in await bumped.names { try await bumped.rebuild(name) }
        #expect(try await bumped.status().allSatisfy { $0.activeVersion == $0.version && $0.lag == 0 })
    }
}

/// A read model that notes the writer's page cache and checkpoint interval each time it applies an
/// event.
final class WriterProbe: WrappingProjection, Sendable {
    let wrapped: any Projection
    let seen = Mutex<[String]>([])
    init(wrapped: any Projection) { self.wrapped = wrapped }

    func apply(_ event: ProjectedEvent, _ db: Database, _ tables: TableNames) throws {
        let cache = -(try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0)
        let checkpoint = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0
        seen.withLock { $0.append("\(cache)/\(checkpoint)") }
        try wrapped.apply(event, db, tables)
    }
}

/// Collects positions from a progress callback.
final class PositionLog: Sendable {
    private let storage = Mutex<[LogPosition]>([])
    func append(_ position: LogPosition) { storage.withLock { $0.append(position) } }
    var values: [LogPosition] { storage.withLock { $0 } }
}
