import PraxisDomain
import PraxisProtocol

/// Decoded events of recently used streams, so a command reads only what is new in each stream.
/// The log is append-only and positions never move, so a cached prefix never goes stale; it can
/// only be behind, and the service always reads past it.
struct StreamCache {
    /// Beyond this many streams the cache starts afresh (a crude but safe bound on memory).
    static let maximumStreams = 20_000

    struct Entry {
        var version: Int64 = 0
        var events: [any DomainEvent] = []
    }

    private var entries: [StreamName: Entry] = [:]

    func entry(for stream: StreamName) -> Entry { entries[stream] ?? Entry() }

    mutating func store(_ entry: Entry, for stream: StreamName) {
        if let existing = entries[stream], existing.version >= entry.version { return }
        if entries.count >= Self.maximumStreams { entries.removeAll(keepingCapacity: true) }
        entries[stream] = entry
    }
}
