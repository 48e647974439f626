/// Infers the JSON Schema of a `Decodable` type by letting it decode from a decoder that records
/// what it asks for: each key (required when read with `decode`, optional with `decodeIfPresent`),
/// each value's type, arrays' element types. Types that are ``JSONSchemaDescribing`` give their own
/// schema. Property names are written in snake_case, as the wire has them.
///
/// ```swift
/// let schema = try SchemaInference.schema(of: CreateCommunity.self)
/// ```
public enum SchemaInference {
    /// The schema of `type` as its `Decodable` implementation reads it.
    public static func schema<T: Decodable>(of type: T.Type) throws -> JSONValue {
        let slot = Slot()
        _ = try SchemaDecoder.value(T.self, into: slot, path: [])
        return slot.schema
    }

    /// `learningEvent` → `learning_event`.
    public static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
    }
}

/// Where one value's schema is recorded.
final class Slot {
    var schema: JSONValue = [:]
    var properties: [String: Slot] = [:]
    var order: [String] = []
    var required: [String] = []
    var isObject = false
    var items: Slot?

    func property(_ name: String, required isRequired: Bool) -> Slot {
        let slot = Slot()
        properties[name] = slot
        order.append(name)
        if isRequired { required.append(name) }
        return slot
    }

    func finish() {
        if isObject {
            for slot in properties.values { slot.finish() }
            schema = [
                "type": "object", "additionalProperties": false,
                "properties": .object(properties.mapValues(\.schema)),
                "required": .array(required.map { .string($0) }),
            ]
        } else if let items {
            items.finish()
            schema = ["type": "array", "items": items.schema]
        }
    }
}

struct SchemaDecoder: Decoder {
    let codingPath: [any CodingKey]
    let slot: Slot
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func value<T: Decodable>(_ type: T.Type, into slot: Slot, path: [any CodingKey]) throws -> T {
        if let describing = T.self as? any JSONSchemaDescribing.Type {
            slot.schema = describing.jsonSchema
            return try example(describing)
        }
        let value = try T(from: SchemaDecoder(codingPath: path, slot: slot))
        slot.finish()
        return value
    }

    private static func example<T>(_ describing: any JSONSchemaDescribing.Type) throws -> T {
        guard let value = describing.schemaExample as? T else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "schema example"))
        }
        return value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        slot.isObject = true
        return KeyedDecodingContainer(KeyedSchemaContainer<Key>(codingPath: codingPath, slot: slot))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        slot.items = Slot()
        return UnkeyedSchemaContainer(codingPath: codingPath, slot: slot.items ?? Slot())
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleSchemaContainer(codingPath: codingPath, slot: slot)
    }
}

/// The schema of a primitive, and a value of it.
private func primitive<T>(_ type: T.Type, into slot: Slot) throws -> T {
    let (schema, value): (JSONValue, Any) =
        switch type {
        case is String.Type: (["type": "string"], "")
        case is Bool.Type: (["type": "boolean"], false)
        case is Double.Type: (["type": "number"], 0.0)
        case is Int.Type: (["type": "integer"], 0)
        case is Int64.Type: (["type": "integer"], Int64(0))
        default: (["type": "number"], 0)
        }
    slot.schema = schema
    guard let typed = value as? T else {
        throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "unsupported primitive"))
    }
    return typed
}

private struct KeyedSchemaContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [any CodingKey]
    let slot: Slot
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try read(type, key, required: true)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try read(type, key, required: false)
    }

    // The standard library's defaults for these overloads call `decode`, which would mark optional
    // primitives as required.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try read(type, key, required: false) }

    private func read<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        let child = slot.property(SchemaInference.snakeCase(key.stringValue), required: required)
        if T.self == String.self || T.self == Bool.self || T.self == Double.self || T.self == Int.self || T.self == Int64.self {
            return try primitive(T.self, into: child)
        }
        return try SchemaDecoder.value(T.self, into: child, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let child = slot.property(SchemaInference.snakeCase(key.stringValue), required: true)
        child.isObject = true
        return KeyedDecodingContainer(KeyedSchemaContainer<NestedKey>(codingPath: codingPath + [key], slot: child))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = slot.property(SchemaInference.snakeCase(key.stringValue), required: true)
        child.items = Slot()
        return UnkeyedSchemaContainer(codingPath: codingPath + [key], slot: child.items ?? Slot())
    }

    func superDecoder() throws -> any Decoder { SchemaDecoder(codingPath: codingPath, slot: slot) }
    func superDecoder(forKey key: Key) throws -> any Decoder { SchemaDecoder(codingPath: codingPath, slot: slot) }
}

/// Reads one element, so the element type is recorded, then reports the end.
private struct UnkeyedSchemaContainer: UnkeyedDecodingContainer {
    let codingPath: [any CodingKey]
    let slot: Slot
    var currentIndex = 0
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }

    init(codingPath: [any CodingKey], slot: Slot) {
        self.codingPath = codingPath
        self.slot = slot
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        if T.self == String.self || T.self == Bool.self || T.self == Double.self || T.self == Int.self || T.self == Int64.self {
            return try primitive(T.self, into: slot)
        }
        return try SchemaDecoder.value(T.self, into: slot, path: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        currentIndex += 1
        slot.isObject = true
        return KeyedDecodingContainer(KeyedSchemaContainer<NestedKey>(codingPath: codingPath, slot: slot))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        slot.items = Slot()
        return UnkeyedSchemaContainer(codingPath: codingPath, slot: slot.items ?? Slot())
    }

    mutating func superDecoder() throws -> any Decoder { SchemaDecoder(codingPath: codingPath, slot: slot) }
}

private struct SingleSchemaContainer: SingleValueDecodingContainer {
    let codingPath: [any CodingKey]
    let slot: Slot

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self || T.self == Bool.self || T.self == Double.self || T.self == Int.self || T.self == Int64.self {
            return try primitive(T.self, into: slot)
        }
        return try SchemaDecoder.value(T.self, into: slot, path: codingPath)
    }
}
