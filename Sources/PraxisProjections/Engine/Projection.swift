public import GRDB
public import PraxisDomain
public import PraxisProtocol
public import PraxisStore

/// A read model built from the log: its tables, how one event changes them, and a canonical dump
/// of them for the digest.
///
/// `apply` runs inside the transaction that also moves the projection's checkpoint, so an event
/// is applied exactly once even across crashes. It must be deterministic and free of side effects
/// (no notifications sent, no clock read): replays and rebuilds call it again for old events.
public protocol Projection: Sendable {
    /// A stable snake_case name (`community_roster`).
    var name: String { get }
    /// Raise it when the tables or the apply logic change: the projection is then rebuilt.
    var version: Int { get }
    /// Creates the tables of one generation.
    func create(_ db: Database, _ tables: TableNames) throws
    /// Applies one event.
    func apply(_ event: ProjectedEvent, _ db: Database, _ tables: TableNames) throws
    /// Called once after a batch's events were applied, in the same transaction, with the latest
    /// server time among them: for what every event moves but only the batch's end needs written
    /// (the insights clock). Does nothing unless a read model implements it; a projection that
    /// wraps another must pass it on.
    func finishBatch(latestServerTime: Timestamp, _ db: Database, _ tables: TableNames) throws
    /// Every row of every table, in a fixed order, for ``ProjectionEngine/digests()``; rows are
    /// handed to `row` one at a time, so a dump of millions of rows needs no memory to speak of.
    func dump(_ db: Database, _ tables: TableNames, into row: (JSONValue) -> Void) throws
}

extension Projection {
    public func finishBatch(latestServerTime: Timestamp, _ db: Database, _ tables: TableNames) throws {}
}

/// An event as projections see it: decoded, upcast, with its place and time in the log.
///
/// A class, so that handing it to each of the read models in turn copies one reference rather than
/// its fields (the stream's text, the actor, the event's existential box), each retained and
/// released again.
public final class ProjectedEvent: Sendable {
    public let position: LogPosition
    public let serverTime: Timestamp
    public let stream: StreamName
    public let actor: MemberID?
    public let event: any DomainEvent

    /// Decodes a recorded event; `nil` for types the domain does not know.
    init?(_ recorded: RecordedEvent) throws {
        guard let event = try EventRegistry.decode(recorded.envelope) else { return nil }
        self.position = recorded.position
        self.serverTime = recorded.serverTime
        self.stream = recorded.stream
        self.actor = recorded.envelope.metadata.actor.map(MemberID.init)
        self.event = event
    }
}

/// The physical names of one generation's tables: `<projection>_g<generation>_<table>`.
public struct TableNames: Sendable {
    public let projection: String
    public let generation: Int64
    /// The unquoted prefix shared by all of this generation's tables.
    let prefix: String
    /// The opening quote and ``prefix``, written once: every statement a read model runs names its
    /// tables through ``callAsFunction(_:)``.
    private let quotedPrefix: String

    public init(projection: String, generation: Int64) {
        self.projection = projection
        self.generation = generation
        self.prefix = "\(projection)_g\(generation)_"
        self.quotedPrefix = "\"" + prefix
    }

    /// The quoted physical name of `table`.
    public func callAsFunction(_ table: String) -> String { quotedPrefix + table + "\"" }
}
