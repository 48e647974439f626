import PraxisCommands
import Testing

@testable import PraxisSync

/// The bit set a member's scope is held in, against `Set` doing the same.
@Suite("Sync: community bit sets")
struct CommunityBitsTests {
    @Test("inserts, removals and differences agree with a Set, and equal sets are equal", arguments: 1...20)
    func agreesWithSet(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let range = 1 + random.next() % 1_000
        func randomSet() -> (CommunityBits, Set<UInt32>) {
            var bits = CommunityBits()
            var plain = Set<UInt32>()
            for _ in 0..<(random.next() % 200) {
                let number = UInt32(random.next() % range)
                if random.next() % 4 == 0 {
                    bits.remove(number)
                    plain.remove(number)
                } else {
                    bits.insert(number)
                    plain.insert(number)
                }
            }
            return (bits, plain)
        }
        let (a, plainA) = randomSet()
        let (b, plainB) = randomSet()
        #expect(Array(a) == plainA.sorted())
        #expect(a.count == plainA.count && a.isEmpty == plainA.isEmpty)
        #expect(a.end == Int(plainA.max().map { $0 + 1 } ?? 0))
        #expect((0..<UInt32(range)).allSatisfy { a.contains($0) == plainA.contains($0) })
        #expect(Array(a.subtracting(b)) == plainA.subtracting(plainB).sorted())
        #expect(a.subtracting(b) == CommunityBits(plainA.subtracting(plainB)), "no trailing zero words")
        #expect(a.subtracting(a) == CommunityBits() && a.subtracting(a).isEmpty)
    }
}
