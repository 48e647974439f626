import Foundation
import PraxisProtocol
import Synchronization

/// Encodes a domain event straight into its payload's JSON values.
///
/// Keys are the property names converted as Foundation's `JSONEncoder` converts them with
/// `.convertToSnakeCase` (`learningEventID` → `learning_event_id`), and values come out as
/// `JSONEncoder` writes them and `JSONParser` reads them back; going through both cost a push
/// a twentieth of its server time. Domain payloads hold no `Date`, `Data`, `URL`, `Decimal` or
/// string-keyed dictionaries, which `JSONEncoder` treats specially; `PayloadCodingTests` checks
/// every event of a demo organisation against `JSONEncoder`.
enum PayloadEncoder {
    static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Slot()
        try value.encode(to: ValueEncoder(root, codingPath: []))
        return root.resolved
    }

    /// Property names already converted: a domain has a few hundred.
    private static let snakeCasedNames = Mutex<[String: String]>([:])

    /// `key` in the form `.convertToSnakeCase` gives it.
    static func snakeCased(_ key: String) -> String {
        guard key.utf8.contains(where: { !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) else { return key }
        if let known = snakeCasedNames.withLock({ $0[key] }) { return known }
        let converted = convertedToSnakeCase(key)
        snakeCasedNames.withLock { $0[key] = converted }
        return converted
    }

    /// Foundation's conversion: words split where a lowercase letter meets an uppercase one, and
    /// where a run of uppercase letters meets a lowercase one (`myURLValue` → `my_url_value`);
    /// then lowercased and joined with underscores.
    private static func convertedToSnakeCase(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex
        var searchRange = key.index(after: wordStart)..<key.endIndex
        while let upper = key.rangeOfCharacter(from: .uppercaseLetters, range: searchRange) {
            words.append(wordStart..<upper.lowerBound)
            searchRange = upper.lowerBound..<searchRange.upperBound
            guard let lower = key.rangeOfCharacter(from: .lowercaseLetters, range: searchRange) else {
                wordStart = searchRange.lowerBound
                break
            }
            if lower.lowerBound == key.index(after: upper.lowerBound) {
                wordStart = upper.lowerBound
            } else {
                let beforeLower = key.index(before: lower.lowerBound)
                words.append(upper.lowerBound..<beforeLower)
                wordStart = beforeLower
            }
            searchRange = lower.upperBound..<searchRange.upperBound
        }
        words.append(wordStart..<searchRange.upperBound)
        return words.map { key[$0].lowercased() }.joined(separator: "_")
    }
}

/// Where one encoded value goes. Containers are handed out before their contents are encoded,
/// so each fills its slot in place; ``resolved`` reads the finished tree.
private final class Slot {
    var value: JSONValue?
    var members: [String: Slot]?
    var elements: [Slot]?

    init(_ value: JSONValue? = nil) { self.value = value }

    /// What was encoded here; a value that encoded nothing is an empty object, as in `JSONEncoder`.
    var resolved: JSONValue {
        if let members { return .object(members.mapValues(\.resolved)) }
        if let elements { return .array(elements.map(\.resolved)) }
        return value ?? .object([:])
    }
}

/// The value `JSONEncoder` writes for a scalar, as `JSONParser` reads it back.
private enum ScalarValue {
    static func number(_ value: Double, at path: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "\(value) is not valid JSON"))
        }
        return .number(value)
    }

    /// `JSONEncoder` writes a `Float` as its shortest description (`0.1`), which reads back as
    /// the `Double` nearest that text rather than the `Float`'s exact value.
    static func number(_ value: Float, at path: [any CodingKey]) throws -> JSONValue {
        try number(Double(String(describing: value)) ?? Double(value), at: path)
    }

    static func integer(_ value: some FixedWidthInteger) -> JSONValue { .number(Double(value)) }
}

/// An `Encoder` writing into one slot.
private struct ValueEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ slot: Slot, codingPath: [any CodingKey]) {
        self.slot = slot
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.members == nil { slot.members = [:] }
        return KeyedEncodingContainer(KeyedSlots<Key>(slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if slot.elements == nil { slot.elements = [] }
        return UnkeyedSlots(slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }
}

extension ValueEncoder: SingleValueEncodingContainer {
    func encodeNil() { slot.value = .null }
    func encode(_ value: Bool) { slot.value = .bool(value) }
    func encode(_ value: String) { slot.value = .string(value) }
    func encode(_ value: Double) throws { slot.value = try ScalarValue.number(value, at: codingPath) }
    func encode(_ value: Float) throws { slot.value = try ScalarValue.number(value, at: codingPath) }
    func encode(_ value: Int) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: Int8) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: Int16) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: Int32) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: Int64) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: UInt) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: UInt8) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: UInt16) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: UInt32) { slot.value = ScalarValue.integer(value) }
    func encode(_ value: UInt64) { slot.value = ScalarValue.integer(value) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }
}

/// An object's members, under their snake_case names.
private struct KeyedSlots<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    init(_ slot: Slot, codingPath: [any CodingKey]) {
        self.slot = slot
        self.codingPath = codingPath
    }

    private func member(_ key: Key) -> ValueEncoder {
        let child = Slot()
        slot.members?[PayloadEncoder.snakeCased(key.stringValue)] = child
        return ValueEncoder(child, codingPath: codingPath + [key])
    }

    func encodeNil(forKey key: Key) { member(key).encodeNil() }
    func encode(_ value: Bool, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: String, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Double, forKey key: Key) throws { try member(key).encode(value) }
    func encode(_ value: Float, forKey key: Key) throws { try member(key).encode(value) }
    func encode(_ value: Int, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int8, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int16, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int32, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: Int64, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt8, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt16, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt32, forKey key: Key) { member(key).encode(value) }
    func encode(_ value: UInt64, forKey key: Key) { member(key).encode(value) }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try value.encode(to: member(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        member(key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { member(key).unkeyedContainer() }

    func superEncoder() -> any Encoder {
        let child = Slot()
        slot.members?["super"] = child
        return ValueEncoder(child, codingPath: codingPath)
    }

    func superEncoder(forKey key: Key) -> any Encoder { member(key) }
}

/// An array's elements, in order.
private struct UnkeyedSlots: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    init(_ slot: Slot, codingPath: [any CodingKey]) {
        self.slot = slot
        self.codingPath = codingPath
    }

    var count: Int { slot.elements?.count ?? 0 }

    private func next() -> ValueEncoder {
        let child = Slot()
        let index = count
        slot.elements?.append(child)
        return ValueEncoder(child, codingPath: codingPath + [ArrayIndexKey(index)])
    }

    func encodeNil() { next().encodeNil() }
    func encode(_ value: Bool) { next().encode(value) }
    func encode(_ value: String) { next().encode(value) }
    func encode(_ value: Double) throws { try next().encode(value) }
    func encode(_ value: Float) throws { try next().encode(value) }
    func encode(_ value: Int) { next().encode(value) }
    func encode(_ value: Int8) { next().encode(value) }
    func encode(_ value: Int16) { next().encode(value) }
    func encode(_ value: Int32) { next().encode(value) }
    func encode(_ value: Int64) { next().encode(value) }
    func encode(_ value: UInt) { next().encode(value) }
    func encode(_ value: UInt8) { next().encode(value) }
    func encode(_ value: UInt16) { next().encode(value) }
    func encode(_ value: UInt32) { next().encode(value) }
    func encode(_ value: UInt64) { next().encode(value) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: next()) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }

    func superEncoder() -> any Encoder { next() }
}
