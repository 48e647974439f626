import PraxisProtocol

/// The events of a log from a position on, catching up page by page and then following live
/// appends. Made by ``EventStore/subscribe(from:pageSize:)``.
///
/// It reads by position only, and positions are gap-free in commit order, so it cannot skip an
/// event: when it finds the log ahead of it by more than one position, the log has lost an event
/// and it fails with ``StoreError/Code/corruptEvent`` rather than pass over the hole.
public struct EventSubscription<Store: EventStore>: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent
    public typealias Failure = StoreError

    /// How long to wait for a wake-up before re-reading the log anyway (it may have been written
    /// by another process, whose appends this one is not told of).
    static var pollInterval: Duration { .milliseconds(500) }

    let store: Store
    let start: LogPosition
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, nextPosition: Swift.max(start, LogPosition(1)), pageSize: pageSize)
    }

    /// Iterates an ``EventSubscription``.
    public struct Iterator: AsyncIteratorProtocol {
        let store: Store
        var nextPosition: LogPosition
        let pageSize: Int
        var buffer: [RecordedEvent] = []
        var index = 0

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(StoreError) -> RecordedEvent? {
            while true {
                if index < buffer.count {
                    let event = buffer[index]
                    index += 1
                    return event
                }
                if Task.isCancelled { return nil }
                let page: [RecordedEvent]
                do {
                    page = try await store.read(from: nextPosition, limit: pageSize)
                } catch {
                    // A read interrupted because this task was cancelled ends the sequence, as documented.
                    if Task.isCancelled { return nil }
                    throw error
                }
                if let first = page.first, let last = page.last {
                    guard first.position == nextPosition, last.position.value - first.position.value == page.count - 1
                    else {
                        throw .corruptEvent(at: nextPosition, "the log has a gap: position \(nextPosition) is missing")
                    }
                    buffer = page
                    index = 0
                    nextPosition = last.position.next
                } else {
                    await store.waitForAppend(
                        beyond: LogPosition(nextPosition.value - 1), timeout: EventSubscription.pollInterval)
                }
            }
        }

        public mutating func next() async throws(StoreError) -> RecordedEvent? {
            try await next(isolation: nil)
        }
    }
}
