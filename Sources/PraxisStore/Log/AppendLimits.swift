import Foundation
public import PraxisProtocol

/// Size limits on one append; every store enforces the same ones before touching storage.
public struct AppendLimits: Sendable, Hashable {
    /// Most events in one batch.
    public var maximumEvents: Int
    /// Most canonical bytes in one event.
    public var maximumEventBytes: Int
    /// Most canonical bytes in one batch.
    public var maximumBatchBytes: Int

    public init(maximumEvents: Int = 1000, maximumEventBytes: Int = 256 * 1024, maximumBatchBytes: Int = 8 * 1024 * 1024) {
        self.maximumEvents = maximumEvents
        self.maximumEventBytes = maximumEventBytes
        self.maximumBatchBytes = maximumBatchBytes
    }

    /// Throws ``StoreError/Code/invalidBatch`` when `events` is empty, repeats an id, or exceeds a limit.
    public func check(_ events: [AuthoredEvent]) throws(StoreError) {
        guard !events.isEmpty else { throw StoreError(.invalidBatch, "a batch needs at least one event") }
        guard events.count <= maximumEvents else {
            throw StoreError(.invalidBatch, "a batch holds at most \(maximumEvents) events, this one has \(events.count)")
        }
        var ids = Set<UUID>()
        var totalBytes = 0
        for event in events {
            guard ids.insert(event.envelope.id).inserted else {
                throw StoreError(.invalidBatch, "event id \(event.envelope.id.wireString) appears twice in the batch")
            }
            guard event.canonicalBytes.count <= maximumEventBytes else {
                throw StoreError(
                    .invalidBatch,
                    "event \(event.envelope.id.wireString) has \(event.canonicalBytes.count) bytes, at most \(maximumEventBytes) are allowed"
                )
            }
            totalBytes += event.canonicalBytes.count
        }
        guard totalBytes <= maximumBatchBytes else {
            throw StoreError(.invalidBatch, "a batch holds at most \(maximumBatchBytes) bytes, this one has \(totalBytes)")
        }
    }
}
