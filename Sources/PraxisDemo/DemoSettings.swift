public import PraxisDomain
public import PraxisProtocol
import Synchronization

/// The size and shape of a demo organisation.
public struct DemoSettings: Sendable {
    public var members: Int
    public var communities: Int
    public var days: Int
    public var seed: UInt64
    /// The first simulated day; fixed by default so that a seed always gives the same log.
    public var start: Timestamp

    public init(
        members: Int = 2000, communities: Int = 60, days: Int = 180, seed: UInt64 = 1,
        start: Timestamp = Timestamp(rfc3339: "2026-05-01T00:00:00.000Z")!
    ) {
        self.members = members
        self.communities = communities
        self.days = days
        self.seed = seed
        self.start = start
    }
}

/// What a demo run did.
public struct DemoReport: Sendable {
    /// Commands that took effect.
    public var accepted = 0
    /// Commands the domain refused (a few are expected: full mentors, races of a real organisation).
    public var refused = 0
    /// Refusals by code.
    public var refusals: [String: Int] = [:]
    /// A member who belongs to ``sampleCommunity`` (for `serve --demo`'s example).
    public var sampleMember: (id: MemberID, name: String)?
    /// A community ``sampleMember`` belongs to and may post in.
    public var sampleCommunity: CommunityID?
}

/// Progress through the simulated days.
public struct DemoProgress: Sendable {
    public let day: Int
    public let days: Int
    public let accepted: Int
}

/// The simulated clock: moves only when the demo moves it, and every append is stamped with it.
public final class DemoClock: Sendable {
    private let milliseconds: Mutex<Int64>

    public init(start: Timestamp) { milliseconds = Mutex(start.millisecondsSinceEpoch) }

    /// The current simulated time.
    public var now: Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds.withLock { $0 }) }

    /// Moves forward by `seconds`.
    func advance(seconds: Int64) { milliseconds.withLock { $0 += seconds * 1000 } }

    /// Moves to `time` if that is later.
    func move(to time: Timestamp) { milliseconds.withLock { $0 = max($0, time.millisecondsSinceEpoch) } }
}
