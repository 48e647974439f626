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

    @Test("more events than the budget drop the least recently used streams until a quarter is free")
    func eventBudget() {
        var cache = StreamCache()
        let each = StreamCache.maximumEvents / 4
        for index in 0..<4 { cache.store(Self.entry(version: Int64(each), events: each), for: Self.name(index)) }
        #expect((0..<4).allSatisfy { cache.entry(for: Self.name($0)).version == Int64(each) }, "exactly the budget is kept")
        _ = cache.entry(for: Self.name(0))
        cache.store(Self.entry(version: 1, events: 1), for: Self.name(9))
        #expect(cache.entry(for: Self.name(1)).version == 0, "the least recently used goes first")
        #expect(cache.entry(for: Self.name(2)).version == 0, "and the next, until a quarter is free")
        #expect(cache.entry(for: Self.name(3)).version == Int64(each))
        #expect(cache.entry(for: Self.name(0)).version == Int64(each), "a stream read since is kept")
        #expect(cache.entry(for: Self.name(9)).version == 1)
        // Growing one stream counts only its new events: another stream kept beside it stays.
        cache.store(Self.entry(version: 1, events: 1), for: Self.name(7))
        for version in stride(from: 500, through: StreamCache.maximumEvents / 4, by: 500) {
            cache.store(Self.entry(version: Int64(version), events: version), for: Self.name(9))
        }
        #expect(cache.entry(for: Self.name(7)).version == 1)
        #expect(cache.entry(for: Self.name(9)).version == Int64(StreamCache.maximumEvents / 4))
    }

    @Test("more streams than the budget drop the least recently used ones")
    func streamBudget() {
        var cache = StreamCache()
        for index in 0..<StreamCache.maximumStreams { cache.store(Self.entry(version: 1, events: 1), for: Self.name(index)) }
        _ = cache.entry(for: Self.name(0))
        cache.store(Self.entry(version: 1, events: 1), for: Self.name(-1))
        let kept = (-1..<StreamCache.maximumStreams).filter { cache.entry(for: Self.name($0)).version == 1 }
        #expect(kept.count == StreamCache.maximumStreams / 4 * 3)
        #expect(kept.contains(0) && kept.contains(-1), "the stream read since and the newest stay")
        #expect(!kept.contains(1), "the least recently used went")
    }
}
