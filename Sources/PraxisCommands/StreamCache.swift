import PraxisDomain
import PraxisProtocol

/// Decoded events of recently used streams, and the states folded from them, so a command reads
/// and folds only what is new in each stream.
/// The log is append-only and positions never move, so a cached prefix never goes stale; it can
/// only be behind, and the service always reads past it.
struct StreamCache {
    /// Beyond this many streams, or this many cached events in all, the least recently used
    /// streams are dropped until a quarter of both budgets is free. The event budget is what a
    /// large organisation's communities need to stay cached (20,000 members in 400 communities
    /// hold about 150,000 community events after a year); with less, every command re-reads and
    /// re-decodes a community's whole stream.
    static let maximumStreams = 50_000
    static let maximumEvents = 250_000

    struct Entry {
        var version: Int64 = 0
        var stream = LoadedStream([])
    }

    private var entries: [StreamName: (entry: Entry, lastUse: UInt64)] = [:]
    private var eventCount = 0
    private var uses: UInt64 = 0

    /// The cached entry of `stream` (an empty one when none), marked as just used.
    mutating func entry(for stream: StreamName) -> Entry {
        uses += 1
        entries[stream]?.lastUse = uses
        return entries[stream]?.entry ?? Entry()
    }

    /// Keeps `entry` unless the cache has a later one; a stream with no events is not kept.
    mutating func store(_ entry: Entry, for stream: StreamName) {
        guard entry.version > 0 else { return }
        let replaced = entries[stream]?.entry
        if let replaced, replaced.version >= entry.version { return }
        uses += 1
        eventCount += entry.stream.events.count - (replaced?.stream.events.count ?? 0)
        entries[stream] = (entry, uses)
        if entries.count > Self.maximumStreams || eventCount > Self.maximumEvents { dropLeastRecentlyUsed() }
    }

    /// Drops streams, least recently used first, until both budgets are at most three quarters
    /// full: one sort per quarter of the budget turned over.
    private mutating func dropLeastRecentlyUsed() {
        for (stream, cached) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard entries.count > Self.maximumStreams / 4 * 3 || eventCount > Self.maximumEvents / 4 * 3 else { return }
            entries[stream] = nil
            eventCount -= cached.entry.stream.events.count
        }
    }
}
