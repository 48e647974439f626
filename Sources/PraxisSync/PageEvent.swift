import PraxisStore

/// A stored event on its way into a sync page, decoded only when something needs more than its
/// indexed columns and stored bytes (a deleted comment's id, a purge order, a downcast), and then
/// once.
struct PageEvent {
    let stored: StoredEvent
    private var decoded: RecordedEvent?

    init(_ stored: StoredEvent) {
        self.stored = stored
    }

    /// The decoded event.
    mutating func record() throws(StoreError) -> RecordedEvent {
        if let decoded { return decoded }
        let record = try stored.decode()
        decoded = record
        return record
    }
}
