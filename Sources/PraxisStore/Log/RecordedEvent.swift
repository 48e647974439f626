public import Foundation
public import PraxisProtocol

/// An event as the log holds it: what the author wrote, and where and when the store put it.
public struct RecordedEvent: Sendable, Hashable {
    /// The event's place in the global log.
    public let position: LogPosition
    /// The event's place in its stream, from 1.
    public let streamVersion: Int64
    /// The server's clock when the event was appended.
    public let serverTime: Timestamp
    /// The author-written event, its exact canonical bytes and their hash.
    public let event: AuthoredEvent

    public init(position: LogPosition, streamVersion: Int64, serverTime: Timestamp, event: AuthoredEvent) {
        self.position = position
        self.streamVersion = streamVersion
        self.serverTime = serverTime
        self.event = event
    }

    /// The author-written fields.
    public var envelope: EventEnvelope { event.envelope }
    /// The event id.
    public var id: UUID { event.envelope.id }
    /// The stream.
    public var stream: StreamName { event.envelope.stream }
    /// The event type.
    public var type: EventTypeName { event.envelope.type }

    /// The event's leaf in the log's Merkle tree; it commits to the author's signature (its
    /// canonical JSON object) when there is one.
    public var merkleLeaf: MerkleLeaf {
        MerkleLeaf(
            position: position.value, eventHash: event.hash, serverTime: serverTime, authorSignature: event.signature)
    }
}

/// The answer to an append.
public struct AppendResult: Sendable, Hashable {
    /// The batch's events as recorded, in the order given.
    public let events: [RecordedEvent]
    /// `true` when every event had been appended before with identical content: nothing was
    /// written and ``events`` are the original records.
    public let wasAlreadyAppended: Bool

    public init(events: [RecordedEvent], wasAlreadyAppended: Bool) {
        self.events = events
        self.wasAlreadyAppended = wasAlreadyAppended
    }
}

/// Counts over the whole log.
public struct LogStatistics: Sendable, Hashable {
    /// How many events the log holds.
    public let eventCount: Int64
    /// The position of the last event (0 when empty).
    public let head: LogPosition
    /// How many events of each type.
    public let countsByType: [EventTypeName: Int64]

    public init(eventCount: Int64, head: LogPosition, countsByType: [EventTypeName: Int64]) {
        self.eventCount = eventCount
        self.head = head
        self.countsByType = countsByType
    }
}
