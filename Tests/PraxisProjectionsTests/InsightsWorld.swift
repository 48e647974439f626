import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProjections
import PraxisProtocol
import PraxisStore
import Synchronization

/// A hand-built organisation on a real log whose clock the test sets: every command runs at the
/// day and hour the scenario says, so each insight can be worked out by hand.
final class InsightsWorld: Sendable {
    /// 2026-01-01T00:00:00Z: day 0, hour 0 of every scenario.
    static let origin: Int64 = 1_767_225_600_000
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-insights-\(UUID().wireString)")
    let store: SQLiteEventStore
    let service: CommandService<SQLiteEventStore>
    private let clock = SettableClock()

    init() throws {
        let clock: @Sendable () -> Timestamp = { [clock] in clock.now }
        store = try SQLiteEventStore(path: folder.appendingPathComponent("log.sqlite").path, clock: clock)
        service = CommandService(store: store, clock: clock)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static func time(day: Int, hour: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: origin + Int64(day) * 86_400_000 + Int64(hour) * 3_600_000)
    }

    /// Runs `command` as `actor` at `day`, `hour`.
    func run(_ command: some Command, as actor: Actor, day: Int, hour: Int) async throws {
        clock.now = Self.time(day: day, hour: hour)
        try await service.execute(command, as: actor)
    }

    func member(
        _ name: String, region: String, department: String, leadership: LeadershipLevel = .contributor,
        external: Bool = false, day: Int = 0, hour: Int = 1
    ) async throws -> MemberID {
        let id = MemberID(UUID())
        try await run(
            RegisterMember(
                member: id, displayName: name, email: "\(name)@example.com", region: region, department: department,
                leadership: leadership, external: external, organization: external ? "Acme" : nil),
            as: .operator, day: day, hour: hour)
        return id
    }

    /// Fresh read models, caught up with the log.
    func readModels() async throws -> ReadModelQueries {
        ReadModelQueries(readModels: try await engine().1)
    }

    /// A projection engine over fresh read models, caught up with the log, and those read models.
    func engine() async throws -> (ProjectionEngine<SQLiteEventStore>, ReadModelStore) {
        let readModels = try ReadModelStore(path: folder.appendingPathComponent("projections-\(UUID().wireString).sqlite").path)
        let engine = ProjectionEngine(store: store, readModels: readModels, projections: ProjectionCatalog.all)
        try await engine.prepare()
        try await engine.catchUp()
        return (engine, readModels)
    }
}

/// A clock the scenario moves by hand.
final class SettableClock: Sendable {
    private let time = Mutex(Timestamp(millisecondsSinceEpoch: InsightsWorld.origin))

    var now: Timestamp {
        get { time.withLock { $0 } }
        set { time.withLock { $0 = newValue } }
    }
}
