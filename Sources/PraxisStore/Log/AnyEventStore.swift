public import Foundation
public import PraxisProtocol

/// Any event store behind one concrete type, for tools that choose the store at run time (SQLite
/// file or PostgreSQL URL) and then use generic services such as `CommandService<AnyEventStore>`.
public final class AnyEventStore: EventStore {
    /// The store underneath.
    public let base: any EventStore
    private let closing: @Sendable () -> Void

    /// Wraps `base`; `close` releases its resources (file handles, connections).
    public init(_ base: any EventStore, close: @escaping @Sendable () -> Void = {}) {
        self.base = base
        self.closing = close
    }

    /// Releases the underlying store's resources.
    public func close() { closing() }

    public func append(_ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion]) async throws(StoreError)
        -> AppendResult
    { try await base.append(events, conditions: conditions) }

    public func read(from position: LogPosition, limit: Int) async throws(StoreError) -> [RecordedEvent] {
        try await base.read(from: position, limit: limit)
    }

    public func storedEvents(positions: [LogPosition]) async throws(StoreError) -> [StoredEvent] {
        try await base.storedEvents(positions: positions)
    }

    public func recordedEvents(ids: [UUID]) async throws(StoreError) -> [UUID: RecordedEvent] {
        try await base.recordedEvents(ids: ids)
    }

    public func readStream(_ stream: StreamName, direction: ReadDirection, from version: Int64?, limit: Int)
        async throws(StoreError) -> [RecordedEvent]
    { try await base.readStream(stream, direction: direction, from: version, limit: limit) }

    public func streams(inCategory category: String, after: StreamName?, limit: Int) async throws(StoreError)
        -> [StreamName]
    { try await base.streams(inCategory: category, after: after, limit: limit) }

    public func head() async throws(StoreError) -> LogPosition { try await base.head() }

    public func statistics() async throws(StoreError) -> LogStatistics { try await base.statistics() }

    public func merkleRoot(size: Int64?) async throws(StoreError) -> (size: Int64, root: MerkleTree.Hash) {
        try await base.merkleRoot(size: size)
    }

    public func inclusionProof(position: LogPosition, treeSize: Int64) async throws(StoreError) -> [MerkleTree.Hash] {
        try await base.inclusionProof(position: position, treeSize: treeSize)
    }

    public func consistencyProof(first: Int64, second: Int64) async throws(StoreError) -> [MerkleTree.Hash] {
        try await base.consistencyProof(first: first, second: second)
    }

    public func signedTreeHeads(after size: Int64, limit: Int) async throws(StoreError) -> [SignedTreeHead] {
        try await base.signedTreeHeads(after: size, limit: limit)
    }

    public func latestSignedTreeHead() async throws(StoreError) -> SignedTreeHead? { try await base.latestSignedTreeHead() }

    public func signingKeys() async throws(StoreError) -> [(id: String, publicKey: [UInt8])] {
        try await base.signingKeys()
    }

    public func waitForAppend(beyond position: LogPosition, timeout: Duration) async {
        await base.waitForAppend(beyond: position, timeout: timeout)
    }
}
