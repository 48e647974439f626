import Crypto
import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
public import PraxisStore

/// Builds a realistic organisation through the real command path: every member, community, post,
/// answer, learning event and mentoring link is a command decided by the domain and appended by
/// the command service. The same settings and seed give the same log, byte for byte.
///
/// ```swift
/// let clock = DemoClock(start: settings.start)
/// let store = try SQLiteEventStore(path: path, clock: { clock.now })
/// let report = try await DemoOrganisation(store: store, clock: clock, settings: settings).build { print($0.day) }
/// ```
public struct DemoOrganisation<Store: EventStore>: Sendable {
    let store: Store
    let clock: DemoClock
    let settings: DemoSettings

    /// `store` must stamp appends with `clock`.
    public init(store: Store, clock: DemoClock, settings: DemoSettings) {
        self.store = store
        self.clock = clock
        self.settings = settings
    }

    /// Why a demo could not be built.
    public enum Failure: Error, CustomStringConvertible {
        /// The log already has events; a demo needs an empty one.
        case logNotEmpty
        /// The log failed.
        case storage(String)

        public var description: String {
            switch self {
            case .logNotEmpty: "the log is not empty; a demo organisation is built in an empty data folder"
            case .storage(let message): message
            }
        }
    }

    /// Runs the simulation, reporting progress after each simulated day.
    public func build(progress: (DemoProgress) -> Void = { _ in }) async throws(Failure) -> DemoReport {
        do {
            guard try await store.head() == .start else { throw Failure.logNotEmpty }
        } catch let error as Failure {
            throw error
        } catch {
            throw .storage("\(error)")
        }
        let simulation = Simulation(store: store, clock: clock, settings: settings)
        try await simulation.run(progress: progress)
        return simulation.report
    }
}

/// One run of the demo: the world it builds, step by step.
final class Simulation<Store: EventStore> {
    let clock: DemoClock
    let settings: DemoSettings
    let service: CommandService<Store>
    var random: SplitMix64
    var world = DemoWorld()
    var report = DemoReport()

    init(store: Store, clock: DemoClock, settings: DemoSettings) {
        self.clock = clock
        self.settings = settings
        service = CommandService(store: store, clock: { clock.now }, random: SplitMix64(seed: settings.seed ^ 0x5EED))
        random = SplitMix64(seed: settings.seed)
    }

    func run(progress: (DemoProgress) -> Void) async throws(DemoOrganisation<Store>.Failure) {
        try await setUp()
        for day in 0..<settings.days {
            clock.move(to: time(day: day, hour: 8))
            try await arrivals(on: day)
            try await mentoring(on: day)
            try await posting(on: day)
            try await answering(on: day)
            try await reacting(on: day)
            try await learning(on: day)
            try await occasional(on: day)
            progress(DemoProgress(day: day + 1, days: settings.days, accepted: report.accepted))
        }
        if let person = world.people.first(where: { $0.active && !$0.isExternal && !$0.communities.isEmpty }),
            let group = person.communities.first(where: { !world.groups[$0].members.isEmpty })
        {
            report.sampleMember = (person.id, person.name)
            report.sampleCommunity = world.groups[group].id
        }
    }

    // MARK: Acting

    /// Executes `command` a little later than the last one; counts refusals instead of failing.
    @discardableResult
    func act(_ command: some Command, by person: Int?) async throws(DemoOrganisation<Store>.Failure) -> Bool {
        clock.advance(seconds: Int64(random.int(5...90)))
        let actor: Actor = person.map { .member(world.people[$0].id) } ?? .operator
        do {
            try await service.execute(command, as: actor)
            report.accepted += 1
            return true
        } catch {
            switch error {
            case .rejected(let rejection):
                report.refused += 1
                report.refusals[rejection.code.description, default: 0] += 1
                return false
            default:
                throw .storage("\(error)")
            }
        }
    }

    func time(day: Int, hour: Int) -> Timestamp {
        Timestamp(
            millisecondsSinceEpoch: settings.start.millisecondsSinceEpoch + Int64(day) * 86_400_000 + Int64(hour) * 3_600_000)
    }

    func newID() -> UUID { random.uuid(at: clock.now) }

    /// `count` scaled by `rate` with ±30% day-to-day variation.
    func howMany(_ rate: Double, of count: Int) -> Int {
        let mean = rate * Double(count)
        let varied = mean * (0.7 + 0.6 * Double(random.next() >> 11) / Double(1 << 53))
        return Int(varied.rounded(.down)) + (random.chance(varied - varied.rounded(.down)) ? 1 : 0)
    }
}
