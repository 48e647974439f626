import PraxisDomain
import PraxisProtocol

/// Decoded events of recently used streams, and the states folded from them, so a command reads
/// and folds only what is new in each stream.
/// The log is append-only and positions never move, so a cached prefix never goes stale; it can
/// only be behind, and the service always reads past it.
struct StreamCache {
    /// Beyond this many streams, or this many cached events in all, the cache starts afresh: a
    /// crude but safe bound on memory, which otherwise grows with every stream commands read.
    static let maximumStreams = 20_000
    static let maximumEvents = 20_000

    struct Entry {
        var version: Int64 = 0
        var stream = LoadedStream([])
    }

    private var entries: [StreamName: Entry] = [:]
    private var eventCount = 0

    func entry(for stream: StreamName) -> Entry { entries[stream] ?? Entry() }

    /// Keeps `entry` unless the cache has a later one; a stream with no events is not kept.
    mutating func store(_ entry: Entry, for stream: StreamName) {
        guard entry.version > 0 else { return }
        let replaced = entries[stream]
        if let replaced, replaced.version >= entry.version { return }
        eventCount += entry.stream.events.count - (replaced?.stream.events.count ?? 0)
        if entries.count >= Self.maximumStreams || eventCount > Self.maximumEvents {
            entries.removeAll(keepingCapacity: true)
            eventCount = entry.stream.events.count
        }
        entries[stream] = entry
    }
}
