import PraxisProtocol
import Testing

/// The object writer against the encoder: members written in canonical order must give exactly
/// the bytes ``CanonicalJSON/encode(_:)`` gives for the same object.
@Suite("RFC 8785 canonical JSON: objects written member by member")
struct CanonicalObjectWriterTests {
    /// A member's value, as the writer takes it.
    enum Member {
        case string(String)
        case integer(Int64)
        case value(JSONValue)

        var json: JSONValue {
            switch self {
            case .string(let string): .string(string)
            case .integer(let integer): .number(Double(integer))
            case .value(let value): value
            }
        }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func randomInteger(using random: inout SeededRandom) -> Int64 {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: Int64.random(in: -1_000...1_000, using: &random)
        case 1: Int64.random(in: -(1 << 53)...(1 << 53), using: &random)
        case 2: Int64.random(in: Int64.min...Int64.max, using: &random)
        default: (1 << 53) + Int64.random(in: -2...2, using: &random) * (Bool.random(using: &random) ? 1 : -1)
        }
    }

    static func randomMember(using random: inout SeededRandom) -> Member {
        switch Int.random(in: 0..<4, using: &random) {
        case 0, 1: .string(CanonicalJSONFastPathTests.randomString(using: &random))
        case 2: .integer(randomInteger(using: &random))
        default:
            .value(
                .object([
                    CanonicalJSONFastPathTests.randomString(using: &random): .array([.null, .bool(true), 2.5]),
                    "b": .string(CanonicalJSONFastPathTests.randomString(using: &random)),
                ]))
        }
    }

    @Test("written in canonical order, 3,000 random objects give the encoder's bytes")
    func matchesEncoder() {
        var random = SeededRandom(seed: 3_000)
        for _ in 0..<3_000 {
            var members: [String: Member] = [:]
            for _ in 0..<Int.random(in: 0..<10, using: &random) {
                members[CanonicalJSONFastPathTests.randomString(using: &random)] = Self.randomMember(using: &random)
            }
            var writer = CanonicalObjectWriter()
            for name in members.keys.sorted(by: CanonicalJSON.precedes) {
                switch members[name] {
                case .string(let string): writer.string(name, string)
                case .integer(let integer): writer.integer(name, integer)
                case .value(let value): writer.value(name, value)
                case nil: Issue.record("no member \(name)")
                }
            }
            let expected = CanonicalJSON.encode(.object(members.mapValues(\.json)))
            #expect(Self.text(writer.finish()) == Self.text(expected))
        }
    }

    @Test("integers at the edge of exact doubles are written as ECMAScript writes the double")
    func integersBeyondExactDoubles() {
        for integer: Int64 in [(1 << 53) - 1, 1 << 53, (1 << 53) + 1, -(1 << 53) - 1, Int64.max, Int64.min] {
            var writer = CanonicalObjectWriter()
            writer.integer("n", integer)
            #expect(Self.text(writer.finish()) == Self.text(CanonicalJSON.encode(["n": .number(Double(integer))])))
        }
    }
}
