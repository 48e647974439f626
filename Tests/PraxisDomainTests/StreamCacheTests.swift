import Foundation
import PraxisProtocol
import Testing

@testable import PraxisCommands
@testable import PraxisDomain

@Suite("Stream cache: bounded, never going back to an earlier version")
struct StreamCacheTests {
    static func entry(version: Int64, events: Int) -> StreamCache.Entry {
        let community = CommunityID(UUID())
        let event = CommunityArchived(community: community)
        return StreamCache.Entry(version: version, stream: LoadedStream(Array(repeating: event, count: events)))
    }

    static func name(_ index: Int) -> StreamName { StreamName("community/\(index)")! }

    @Test("a later version replaces an earlier one, never the reverse; empty streams are not kept")
    func versions() {
        var cache = StreamCache()
        cache.store(Self.entry(version: 3, events: 3), for: Self.name(1))
        cache.store(Self.entry(version: 2, events: 2), for: Self.name(1))
        #expect(cache.entry(for: Self.name(1)).version == 3)
        cache.store(Self.entry(version: 5, events: 5), for: Self.name(1))
        #expect(cache.entry(for: Self.name(1)).version == 5)
        cache.store(Self.entry(version: 0, events: 0), for: Self.name(2))
        #expect(cache.entry(for: Self.name(2)).version == 0)
    }

    @Test("more events than the budget start the cache afresh, keeping the newest entry")
    func eventBudget() {
        var cache = StreamCache()
        let each = StreamCache.maximumEvents / 4
        for index in 0..<4 { cache.store(Self.entry(version: Int64(each), events: each), for: Self.name(index)) }
        #expect(cache.entry(for: Self.name(0)).version == Int64(each), "exactly the budget is kept")
        cache.store(Self.entry(version: 1, events: 1), for: Self.name(9))
        #expect(cache.entry(for: Self.name(0)).version == 0, "one more event starts afresh")
        #expect(cache.entry(for: Self.name(9)).version == 1)
        // Growing one stream counts only its new events: another stream kept beside it stays.
        cache.store(Self.entry(version: 1, events: 1), for: Self.name(7))
        for version in stride(from: 1000, through: StreamCache.maximumEvents / 2, by: 1000) {
            cache.store(Self.entry(version: Int64(version), events: version), for: Self.name(9))
        }
        #expect(cache.entry(for: Self.name(7)).version == 1)
        #expect(cache.entry(for: Self.name(9)).version == Int64(StreamCache.maximumEvents / 2))
    }
}
