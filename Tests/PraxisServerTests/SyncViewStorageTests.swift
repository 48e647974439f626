import PraxisCommands
import Testing

@testable import PraxisSync

@Suite("Sync view storage: sharded maps and chunked positions behave as their plain forms")
struct SyncViewStorageTests {
    @Test("a sharded map answers as a dictionary through random writes, removals and copies", arguments: 1...10)
    func shardedMap(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var sharded = ShardedMap<Int, Int>()
        var plain: [Int: Int] = [:]
        var copies: [(ShardedMap<Int, Int>, [Int: Int])] = []
        for step in 0..<3000 {
            let key = Int(random.next() % 700)
            if random.next() % 5 == 0 {
                sharded[key] = nil
                plain[key] = nil
            } else {
                sharded[key] = step
                plain[key] = step
            }
            if step % 500 == 0 { copies.append((sharded, plain)) }
        }
        for key in 0..<700 { #expect(sharded[key] == plain[key]) }
        for (copy, expected) in copies {
            for key in 0..<700 { #expect(copy[key] == expected[key], "a copy keeps its own values") }
        }
    }

    /// The positions of `list` in `after < p ≤ through`, walked as a pull walks them.
    static func positions(_ list: ChunkedPositions, after: Int64, through: Int64) -> [Int64] {
        var merge = PositionMerge([list], after: after)
        return merge.next(Int.max, through: through)
    }

    @Test("chunked positions give exactly the positions in a range, across chunk edges", arguments: 1...10)
    func chunkedPositions(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var chunked = ChunkedPositions()
        var plain: [Int64] = []
        var position: Int64 = 0
        for _ in 0..<(5000 + Int(random.next() % 9000)) {
            position += 1 + Int64(random.next() % 3)
            chunked.append(position)
            plain.append(position)
        }
        let copy = chunked
        chunked.append(position + 1)
        for _ in 0..<50 {
            let after = Int64(random.next() % UInt64(position + 2))
            let through = after + Int64(random.next() % 12000)
            #expect(Self.positions(copy, after: after, through: through) == plain.filter { $0 > after && $0 <= through })
        }
        #expect(Self.positions(chunked, after: position, through: position + 1) == [position + 1])
        #expect(Self.positions(copy, after: position, through: position + 1).isEmpty, "a copy does not see later appends")
        #expect(Self.positions(ChunkedPositions(), after: 0, through: 100).isEmpty)
    }
}
