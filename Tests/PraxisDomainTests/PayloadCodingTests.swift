import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

/// `EventCoding.decode` reads payloads without `JSONDecoder`; these tests hold it to what
/// `JSONDecoder` with `.convertFromSnakeCase` gives, on every event of a demo organisation and on
/// random payloads of every shape a domain event uses.
@Suite("Payload decoding agrees with JSONDecoder")
struct PayloadCodingTests {
    static func foundationDecode<Event: DomainEvent>(_ type: Event.Type, _ payload: [String: JSONValue]) throws
        -> Event
    {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Event.self, from: Data(CanonicalJSON.encode(.object(payload))))
    }

    /// Whether `JSONDecoder` decodes `payload` to `decoded`.
    static func agreesWithFoundation<Event: DomainEvent>(_ decoded: Event, _ payload: [String: JSONValue]) throws
        -> Bool
    {
        try foundationDecode(Event.self, payload) == decoded
    }

    @Test("every event of a demo organisation decodes to what JSONDecoder decodes")
    func demoLog() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("praxis-coding-\(UUID().wireString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (store, _) = try await DemoTests.build(seed: 3, in: root)
        var types = Set<String>()
        for recorded in try await store.read(from: 1, limit: 10_000) {
            guard let payload = try EventRegistry.currentPayload(of: recorded.envelope),
                let decoded = try EventRegistry.decode(recorded.envelope)
            else { continue }
            #expect(try Self.agreesWithFoundation(decoded, payload), "\(recorded.envelope.type.rawValue)")
            types.insert(recorded.envelope.type.rawValue)
        }
        #expect(types.count >= 25)
    }

    @Test("random payloads: the same value or a failure from both", arguments: 0..<4)
    func randomPayloads(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var decodedByBoth = 0
        for _ in 0..<2_000 {
            let payload = Shapes.randomPayload(using: &random)
            let ours = try? EventCoding.decode(Shapes.self, from: payload)
            let foundation = try? Self.foundationDecode(Shapes.self, payload)
            #expect(ours == foundation, "\(payload)")
            if ours != nil { decodedByBoth += 1 }
        }
        // Both outcomes occur often enough to mean something.
        #expect((200...1_800).contains(decodedByBoth))
    }

    @Test("keys are matched as .convertFromSnakeCase converts them")
    func keyConversion() throws {
        var random = SplitMix64(seed: 11)
        let alphabet = Array("ab_Xé1_")
        for _ in 0..<3_000 {
            let key = String(
                (0..<Int.random(in: 0...7, using: &random)).map { _ in
                    alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                })
            let payload: [String: JSONValue] = [key: .number(1)]
            #expect(
                try EventCoding.decode(KeysSeen.self, from: payload) == Self.foundationDecode(KeysSeen.self, payload),
                "\(key)")
        }
    }
}

/// A test event with a field of every shape domain events use.
private struct Shapes: DomainEvent {
    static let type = "test_shapes"
    static let schemaVersion: Int64 = 1

    enum Kind: String, Codable { case open, closed }

    struct Nested: Codable, Equatable {
        var label: String
        var weightKg: Int8?
    }

    var communityId: UUID
    var title: String
    var count: Int
    var smallCount: UInt8
    var isPinned: Bool
    var kind: Kind
    var tags: [String]
    var nested: Nested?
    var history: [Nested]
    var levels: Set<Int>

    static func randomPayload(using random: inout SplitMix64) -> [String: JSONValue] {
        let fields: [(String, [JSONValue])] = [
            (
                "community_id",
                [
                    .string("0190f5a0-8c1e-7b3a-9f00-2a6c1d4e5f60"), .string("0190F5A0-8C1E-7B3A-9F00-2A6C1D4E5F60"),
                    .string("x"), .number(3),
                ]
            ),
            ("title", [.string("hello"), .string(""), .number(1), .null]),
            ("count", [.number(3), .number(-2), .number(1.5), .number(1e20), .string("3")]),
            ("small_count", [.number(0), .number(255), .number(256), .number(-1)]),
            ("is_pinned", [.bool(true), .bool(false), .number(1), .null]),
            ("kind", [.string("open"), .string("closed"), .string("ajar")]),
            ("tags", [.array([]), .array([.string("a"), .string("b")]), .array([.number(1)]), .string("a")]),
            (
                "nested",
                [
                    .null, .object(["label": .string("x")]), .object(["label": .string("y"), "weight_kg": .number(70)]),
                    .object(["weight_kg": .number(7)]), .object(["label": .string("z"), "weight_kg": .number(700)]),
                ]
            ),
            ("history", [.array([]), .array([.object(["label": .string("a")])]), .array([.null]), .object([:])]),
            (
                "levels",
                [.array([.number(1), .number(2)]), .array([]), .array([.number(1), .number(1)]), .array([.number(0.5)])]
            ),
        ]
        var payload: [String: JSONValue] = [:]
        for (key, values) in fields {
            // Mostly a value that decodes, sometimes another (or none).
            switch Int.random(in: 0..<20, using: &random) {
            case 0: continue
            case 1, 2: payload[key] = values.randomElement(using: &random)
            default: payload[key] = values[0]
            }
        }
        if Int.random(in: 0..<10, using: &random) == 0 { payload["extra_field"] = .string("ignored") }
        return payload
    }
}

/// A test event that records the keys its keyed container sees.
private struct KeysSeen: DomainEvent {
    static let type = "test_keys_seen"
    static let schemaVersion: Int64 = 1

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var keys: Set<String>

    init(from decoder: any Decoder) throws {
        keys = Set(try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for key in keys { try container.encode(true, forKey: AnyKey(stringValue: key)) }
    }
}
