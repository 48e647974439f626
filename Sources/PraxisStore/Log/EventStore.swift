public import Foundation
public import PraxisProtocol

/// The append-only event log. Every store (SQLite, PostgreSQL) implements this protocol and passes
/// the same conformance suite.
///
/// Guarantees:
/// - **Atomic batches**: an append writes all of its events or none.
/// - **Gap-free positions**: positions are 1, 2, 3, … in commit order; a reader that has seen
///   position *n* will never later find a new event below *n*.
/// - **Durable idempotency** by event id: re-appending identical events returns their original
///   records and writes nothing, however long after; re-using an id for other content fails.
public protocol EventStore: Sendable {
    /// Appends `events` atomically, after checking `conditions` (expected versions of streams,
    /// which need not be streams the batch writes to).
    ///
    /// Events of one stream get consecutive stream versions in batch order. When every event of
    /// the batch was appended before with identical bytes, nothing is written, the conditions are
    /// not checked again, and the original records come back with `wasAlreadyAppended == true`.
    func append(_ events: [AuthoredEvent], conditions: [StreamName: ExpectedVersion]) async throws(StoreError)
        -> AppendResult

    /// Up to `limit` events with positions from `position` on, in log order.
    func read(from position: LogPosition, limit: Int) async throws(StoreError) -> [RecordedEvent]

    /// The events at `positions` as stored, not decoded (``StoredEvent/decode()`` decodes one), in
    /// log order; positions the log does not hold are left out. At most a page of positions is
    /// read (the store's `maximumPageSize`), the smallest.
    func storedEvents(positions: [LogPosition]) async throws(StoreError) -> [StoredEvent]

    /// The recorded events among `ids` (ids the log does not hold are left out).
    func recordedEvents(ids: [UUID]) async throws(StoreError) -> [UUID: RecordedEvent]

    /// Up to `limit` events of one stream. Forward starts at stream version `version` (or the
    /// first); backward starts at `version` (or the last) and goes down.
    func readStream(_ stream: StreamName, direction: ReadDirection, from version: Int64?, limit: Int)
        async throws(StoreError) -> [RecordedEvent]

    /// Up to `limit` stream names of `category` (the part before the first `/`) that sort after
    /// `after`, in order: page through them by passing the last name back.
    func streams(inCategory category: String, after: StreamName?, limit: Int) async throws(StoreError) -> [StreamName]

    /// The position of the last committed event (``LogPosition/start`` when the log is empty).
    func head() async throws(StoreError) -> LogPosition

    /// Event count, head and counts per event type.
    func statistics() async throws(StoreError) -> LogStatistics

    /// The Merkle root (RFC 9162) of the first `size` events, or of all when `size` is nil.
    func merkleRoot(size: Int64?) async throws(StoreError) -> (size: Int64, root: MerkleTree.Hash)

    /// The audit path of the event at `position` in the tree of the first `treeSize` events.
    func inclusionProof(position: LogPosition, treeSize: Int64) async throws(StoreError) -> [MerkleTree.Hash]

    /// The proof that the tree of `first` events is a prefix of the tree of `second` events.
    func consistencyProof(first: Int64, second: Int64) async throws(StoreError) -> [MerkleTree.Hash]

    /// Signed tree heads with sizes above `size`, smallest first, at most `limit`.
    func signedTreeHeads(after size: Int64, limit: Int) async throws(StoreError) -> [SignedTreeHead]

    /// The signed tree head of the largest size, if any head was signed.
    func latestSignedTreeHead() async throws(StoreError) -> SignedTreeHead?

    /// The keys that have signed tree heads (id → raw Ed25519 public key), ordered by id.
    func signingKeys() async throws(StoreError) -> [(id: String, publicKey: [UInt8])]

    /// Returns when an event beyond `position` may have been committed, when `timeout` has
    /// passed, or when the task is cancelled, whichever comes first. Callers re-read the log
    /// afterwards; this is a wake-up, never a promise.
    func waitForAppend(beyond position: LogPosition, timeout: Duration) async
}

extension EventStore {
    /// Appends `events` with no expected-version conditions.
    public func append(_ events: [AuthoredEvent]) async throws(StoreError) -> AppendResult {
        try await append(events, conditions: [:])
    }

    /// The current version of `stream` (0 when it has no events).
    public func version(of stream: StreamName) async throws(StoreError) -> Int64 {
        try await readStream(stream, direction: .backward, from: nil, limit: 1).first?.streamVersion ?? 0
    }

    /// Every stream name of `category`, in order.
    public func allStreams(inCategory category: String) async throws(StoreError) -> [StreamName] {
        var names: [StreamName] = []
        while true {
            let page = try await streams(inCategory: category, after: names.last, limit: 1000)
            names += page
            if page.count < 1000 { return names }
        }
    }

    /// Every event from `position` on: first the history, page by page, then each new event as it
    /// is committed, in log order with no gap and no duplicate. The sequence ends when the
    /// iterating task is cancelled.
    ///
    /// ```swift
    /// for try await event in store.subscribe(from: checkpoint.next) {
    ///     try apply(event)
    /// }
    /// ```
    public func subscribe(from position: LogPosition, pageSize: Int = 512) -> EventSubscription<Self> {
        EventSubscription(store: self, start: position, pageSize: pageSize)
    }
}
