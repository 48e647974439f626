import Foundation
import GRDB
import PraxisCommands
import PraxisDemo
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Synchronization
import Testing

/// A demo organisation's log and a read-model database beside it.
final class ProjectionFixture {
    let folder: URL
    let store: SQLiteEventStore

    /// A log built by the demo (the real command path), `days` long.
    init(days: Int = 14, members: Int = 60, communities: Int = 6, seed: UInt64 = 11) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-projections-\(UUID().wireString)")
        let settings = DemoSettings(members: members, communities: communities, days: days, seed: seed)
        let clock = DemoClock(start: settings.start)
        store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path, clock: { clock.now })
        _ = try await DemoOrganisation(store: store, clock: clock, settings: settings).build()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Each community's posts that are not deleted, worked out from the log directly.
    var postsByCommunity: [String: Set<String>] {
        get async throws {
            var posts: [String: Set<String>] = [:]
            var deleted: Set<String> = []
            for event in try await store.read(from: 1, limit: 10_000) {
                switch event.type.rawValue {
                case "post_created":
                    if let community = event.envelope.payload["community"]?.stringValue,
                        let post = event.envelope.payload["post"]?.stringValue
                    {
                        posts[community, default: []].insert(post)
                    }
                case "post_deleted": if let post = event.envelope.payload["post"]?.stringValue { deleted.insert(post) }
                default: break
                }
            }
            return posts.mapValues { $0.subtracting(deleted) }
        }
    }

    /// A read-model database (a new file for each `name`) and an engine over it.
    func engine(_ name: String = "projections", projections: [any Projection] = ProjectionCatalog.all, batchSize: Int = 500)
        throws -> (ReadModelStore, ProjectionEngine<SQLiteEventStore>)
    {
        let readModels = try ReadModelStore(path: folder.appendingPathComponent("\(name).sqlite").path)
        return (
            readModels, ProjectionEngine(store: store, readModels: readModels, projections: projections, batchSize: batchSize)
        )
    }
}

/// A projection that works like the one it wraps, except for what it implements itself.
protocol WrappingProjection: Projection {
    var wrapped: any Projection { get }
}

extension WrappingProjection {
    var name: String { wrapped.name }
    var version: Int { wrapped.version }
    func create(_ db: Database, _ tables: TableNames) throws { try wrapped.create(db, tables) }
    func dump(_ db: Database, _ tables: TableNames, into row: (JSONValue) -> Void) throws {
        try wrapped.dump(db, tables, into: row)
    }
    func apply(_ event: ProjectedEvent, _ db: Database, _ tables: TableNames) throws { try wrapped.apply(event, db, tables) }
    func finishBatch(latestServerTime: Timestamp, _ db: Database, _ tables: TableNames) throws {
        try wrapped.finishBatch(latestServerTime: latestServerTime, db, tables)
    }
}

/// A projection that works like another but fails at one position, as a crash would.
struct FailingProjection: WrappingProjection {
    struct Crash: Error {}
    let wrapped: any Projection
    let failAt: LogPosition

    func apply(_ event: ProjectedEvent, _ db: Database, _ tables: TableNames) throws {
        try wrapped.apply(event, db, tables)
        if event.position == failAt { throw Crash() }
    }
}

/// A projection at another version, to see what a code change does.
struct BumpedProjection: WrappingProjection {
    let wrapped: any Projection
    var version: Int { wrapped.version + 1 }
}
