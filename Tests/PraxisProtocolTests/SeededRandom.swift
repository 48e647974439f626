import PraxisProtocol

/// A deterministic generator (SplitMix64) so property tests replay the same cases.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension JSONValue {
    /// A random value: every kind of scalar, unicode from several planes, nested containers.
    static func random(depth: Int, using random: inout SeededRandom) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &random)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            let bits = random.next()
            let value = Double(bitPattern: bits)
            return .number(value.isFinite ? value : Double(Int32.random(in: .min ... .max, using: &random)))
        case 3, 4: return .string(randomString(using: &random))
        case 5:
            return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in .random(depth: depth - 1, using: &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<4, using: &random) {
                members[randomString(using: &random)] = .random(depth: depth - 1, using: &random)
            }
            return .object(members)
        }
    }

    static func randomString(using random: inout SeededRandom) -> String {
        let pools: [ClosedRange<UInt32>] = [0x00...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF]
        var text = ""
        for _ in 0..<Int.random(in: 0..<8, using: &random) {
            let pool = pools[Int.random(in: 0..<pools.count, using: &random)]
            if let scalar = Unicode.Scalar(UInt32.random(in: pool, using: &random)) { text.unicodeScalars.append(scalar) }
        }
        return text
    }
}
