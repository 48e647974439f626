import Foundation
import PraxisCommands
import PraxisDomain
import PraxisProtocol
import PraxisStore
import Testing

/// `EventCoding` reads and writes payloads without Foundation's JSON coders; these tests hold it
/// to what `JSONDecoder` with `.convertFromSnakeCase` and `JSONEncoder` with `.convertToSnakeCase`
/// give, on every event of a demo organisation, on random payloads of every shape a domain event
/// uses, and on random keys.
@Suite("Payload coding agrees with Foundation's JSON coders")
struct PayloadCodingTests {
    static func foundationDecode<Event: DomainEvent>(_ type: Event.Type, _ payload: [String: JSONValue]) throws
        -> Event
    {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Event.self, from: Data(CanonicalJSON.encode(.object(payload))))
    }

    static func foundationPayload(_ event: some DomainEvent) throws -> [String: JSONValue] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard case .object(let payload) = try JSONParser.parse(Array(try encoder.encode(event))) else {
            throw EncodingError.invalidValue(event, .init(codingPath: [], debugDescription: "not an object"))
        }
        return payload
    }

    /// Whether `JSONDecoder` decodes `payload` to `decoded`.
    static func agreesWithFoundation<Event: DomainEvent>(_ decoded: Event, _ payload: [String: JSONValue]) throws
        -> Bool
    {
        try foundationDecode(Event.self, payload) == decoded
    }

    @Test("every event of a demo organisation decodes and encodes as with JSONDecoder and JSONEncoder")
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
            #expect(EventCoding.payload(of: decoded) == (try Self.foundationPayload(decoded)))
            types.insert(recorded.envelope.type.rawValue)
        }
        #expect(types.count >= 25)
    }

    @Test("random payloads: the same value (and the same payload again) or a failure from both", arguments: 0..<4)
    func randomPayloads(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var decodedByBoth = 0
        for _ in 0..<2_000 {
            let payload = Shapes.randomPayload(using: &random)
            let ours = try? EventCoding.decode(Shapes.self, from: payload)
            let foundation = try? Self.foundationDecode(Shapes.self, payload)
            #expect(ours == foundation, "\(payload)")
            if let ours {
                decodedByBoth += 1
                #expect(EventCoding.payload(of: ours) == (try Self.foundationPayload(ours)))
            }
        }
        // Both outcomes occur often enough to mean something.
        #expect((200...1_800).contains(decodedByBoth))
    }

    @Test("a payload that does not decode names the field to blame, inside arrays and nested objects too")
    func failuresNameTheirField() throws {
        let valid = Dictionary(uniqueKeysWithValues: Shapes.fields.map { ($0.0, $0.1[0]) })
        #expect(throws: Never.self) { try EventCoding.decode(Shapes.self, from: valid) }
        let cases: [(key: String, value: JSONValue?, failure: String)] = [
            ("title", nil, "keyNotFound title"),
            ("title", .number(1), "typeMismatch title"),
            ("is_pinned", .null, "valueNotFound isPinned"),
            ("count", .number(1.5), "dataCorrupted count"),
            ("small_count", .number(256), "dataCorrupted smallCount"),
            ("community_id", .string("x"), "dataCorrupted communityId"),
            ("kind", .string("ajar"), "dataCorrupted kind"),
            ("tags", .array([.string("a"), .number(1)]), "typeMismatch tags.1"),
            ("levels", .array([.number(0.5)]), "dataCorrupted levels.0"),
            ("history", .array([.object(["label": .string("a")]), .null]), "valueNotFound history.1"),
            (
                "history", .array([.object(["label": .string("a"), "weight_kg": .number(700)])]),
                "dataCorrupted history.0.weightKg"
            ),
            ("nested", .object(["weight_kg": .number(7)]), "keyNotFound nested.label"),
        ]
        for (key, value, failure) in cases {
            var payload = valid
            payload[key] = value
            #expect(
                Self.failure { try EventCoding.decode(Shapes.self, from: payload) } == failure,
                "\(key): \(String(describing: value))")
        }
    }

    /// The kind of decoding error `decode` throws and the coding path it names (array elements by
    /// index, dotted), `nil` when it decodes.
    fileprivate static func failure(_ decode: () throws -> Shapes) -> String? {
        do {
            _ = try decode()
            return nil
        } catch let error as DecodingError {
            let path = { (keys: [any CodingKey]) in
                keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            }
            switch error {
            case .keyNotFound(let key, let context): return "keyNotFound \(path(context.codingPath + [key]))"
            case .typeMismatch(_, let context): return "typeMismatch \(path(context.codingPath))"
            case .valueNotFound(_, let context): return "valueNotFound \(path(context.codingPath))"
            case .dataCorrupted(let context): return "dataCorrupted \(path(context.codingPath))"
            @unknown default: return "\(error)"
            }
        } catch {
            return "\(error)"
        }
    }

    @Test("keys are matched and written as .convertFromSnakeCase and .convertToSnakeCase convert them")
    func keyConversion() throws {
        var random = SplitMix64(seed: 11)
        let alphabet = Array("ab_Xé1_")
        let propertyAlphabet = Array("aaabURLXyÜé1_")
        for _ in 0..<3_000 {
            let key = String(
                (0..<Int.random(in: 0...7, using: &random)).map { _ in
                    alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                })
            let payload: [String: JSONValue] = [key: .number(1)]
            #expect(
                try EventCoding.decode(KeysSeen.self, from: payload) == Self.foundationDecode(KeysSeen.self, payload),
                "\(key)")
            let property = String(
                (0..<Int.random(in: 1...9, using: &random)).map { _ in
                    propertyAlphabet[Int.random(in: 0..<propertyAlphabet.count, using: &random)]
                })
            let event = KeysSeen(keys: [property])
            #expect(EventCoding.payload(of: event) == (try Self.foundationPayload(event)), "\(property)")
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

    /// Each field's values: the first decodes, most of the others do not.
    static let fields: [(String, [JSONValue])] = [
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

    static func randomPayload(using random: inout SplitMix64) -> [String: JSONValue] {
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

    init(keys: Set<String>) { self.keys = keys }

    init(from decoder: any Decoder) throws {
        keys = Set(try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for key in keys { try container.encode(true, forKey: AnyKey(stringValue: key)) }
    }
}
